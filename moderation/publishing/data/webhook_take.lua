-- KEYS: due set, taken hash. ARGV: now (ms), lease end (ms), most to take. Returns the ids taken.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
  redis.call('HSET', KEYS[2], id, ARGV[2])
end
return ids
