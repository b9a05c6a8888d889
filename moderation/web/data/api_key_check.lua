-- KEYS: the keys hash, the rate counter. ARGV: the key's hash, the counter's expiry (s). A wrong key counts nothing.
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return false end
local count = redis.call('INCR', KEYS[2])
if count == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return {record, count}
