-- KEYS: due set, taken hash. ARGV: now (ms), a webhook's id followed by ':'. Makes that webhook's deliveries
-- that wait for a retry (not those being attempted) due now. Returns how many.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
local n = 0
for _, id in ipairs(ids) do
  if string.sub(id, 1, #ARGV[2]) == ARGV[2] and redis.call('HEXISTS', KEYS[2], id) == 0 then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], id)
    n = n + 1
  end
end
return n
