-- wrk script for bench/receiver: POSTs the batch files given after "--"
-- in turn (distinct order ids, so the ledger grows as in a real run),
-- each an OTLP/HTTP trace export.
--   wrk ... -s post-bodies.lua URL -- CONTENT_TYPE ENCODING FILE...
-- ENCODING is "gzip" or "identity".
local bodies, headers, next_body = {}, {}, 0

function init(args)
  headers["Content-Type"] = args[1]
  if args[2] == "gzip" then headers["Content-Encoding"] = "gzip" end
  for i = 3, #args do
    local f = assert(io.open(args[i], "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/traces", headers, bodies[next_body])
end
