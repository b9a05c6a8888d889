-- Queue comments, telling a new comment, an edit (same id, another body) and a duplicate (same id, same body)
-- apart, atomically for the batch (moderation/revisions.py).
-- KEYS: pending set, pending payload hash, pending digest hash, queue list, then per comment: its revision
-- hash, its decision key.
-- ARGV: now (ms), the message to LPUSH when no comment is a duplicate, then per comment: id, body digest,
-- payload JSON.
-- A comment is a duplicate when its body is the one queued last (still pending) or, with nothing pending, the
-- one decided last. Returns: 1 if the message was pushed (0: some were duplicates, the caller pushes a message
-- of the others), then per comment: revision it is queued as (0: a duplicate), and the stored decision JSON
-- of a duplicate ('' when none yet).
local out = {0}
local duplicates = 0
local n = (#KEYS - 4) / 2
for i = 0, n - 1 do
  local id, digest, payload = ARGV[3 + i * 3], ARGV[4 + i * 3], ARGV[5 + i * 3]
  local rev_key, decision_key = KEYS[5 + i * 2], KEYS[6 + i * 2]
  local pending = redis.call('HGET', KEYS[3], id)
  local rev = redis.call('HMGET', rev_key, 'revision', 'digest')
  local latest = pending or rev[2]
  if latest == digest then
    duplicates = duplicates + 1
    out[#out + 1] = 0
    out[#out + 1] = redis.call('GET', decision_key) or ''
  else
    local decided = tonumber(rev[1]) or (redis.call('EXISTS', decision_key) == 1 and 1 or 0)
    redis.call('ZADD', KEYS[1], ARGV[1], id)
    redis.call('HSET', KEYS[2], id, payload)
    redis.call('HSET', KEYS[3], id, digest)
    out[#out + 1] = decided + 1
    out[#out + 1] = ''
  end
end
if duplicates == 0 then
  redis.call('LPUSH', KEYS[4], ARGV[2])
  out[1] = 1
end
return out
