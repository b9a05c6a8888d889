-- KEYS: the dead-letter stream. ARGV: comment id, how many entries to look at. Searched inside Redis so that only
-- the match (its error and payload) crosses the network, not up to a thousand payloads.
local entries = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', tonumber(ARGV[2]))
local found = {}
for _, entry in ipairs(entries) do
  local fields, id, error, payload = entry[2], nil, '', ''
  for i = 1, #fields, 2 do
    if fields[i] == 'comment_id' then id = fields[i + 1]
    elseif fields[i] == 'error' then error = fields[i + 1]
    elseif fields[i] == 'payload' then payload = fields[i + 1] end
  end
  if id == ARGV[1] then
    found[#found + 1] = error
    found[#found + 1] = payload
    if #found >= 20 then break end
  end
end
return found
