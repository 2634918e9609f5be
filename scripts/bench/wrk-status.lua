-- wrk script for scripts/load-test.sh and scripts/bench.sh. Counts responses by HTTP status and prints
-- one machine-readable line per run; optionally rotates request bodies or query strings.
--
-- WRK_MODE (environment):
--   plain    (default) the URL given to wrk as it is
--   parse    POST /api/v1/clues/parse with a rotating set of clues (content-type application/json)
--   suggest  GET /api/v1/suggestions?clue=...&pattern=... with rotating clues; WRK_COUNT adds &count=N
--
-- Output (from done()):
--   STATUS <code> <count>             one line per status seen
--   RESULT requests=.. duration_s=.. rps=.. p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=..
--          connect=.. read=.. write=.. timeout=.. status_err=..
local mode = os.getenv("WRK_MODE") or "plain"
local count = os.getenv("WRK_COUNT")

local clues = {
  { clue = "Bourne Identity star (4,5)" },
  { clue = "Shade of pink", pattern = "?????" },
  { clue = "Large body of water (5)" },
  { clue = "Spy novel", pattern = "b?urn? ?d?nt?ty" },
  { clue = "Quick (4)" },
  { clue = "Small dog (7)" },
  { clue = "Capital of France (5)" },
  { clue = "Happy", pattern = "?????" },
}

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function jsonstr(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

local requests = {}

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  for i, c in ipairs(clues) do
    if mode == "parse" then
      local body = '{"clue":' .. jsonstr(c.clue)
      if c.pattern then body = body .. ',"pattern":' .. jsonstr(c.pattern) end
      body = body .. "}"
      requests[i] = wrk.format("POST", "/api/v1/clues/parse", { ["Content-Type"] = "application/json" }, body)
    elseif mode == "suggest" then
      local path = "/api/v1/suggestions?clue=" .. urlencode(c.clue)
      if c.pattern then path = path .. "&pattern=" .. urlencode(c.pattern) end
      if count then path = path .. "&count=" .. count end
      requests[i] = wrk.format("GET", path)
    end
  end
  n = 0
end

function request()
  if mode == "plain" then
    return wrk.format()
  end
  n = n + 1
  return requests[(n % #requests) + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  local non2xx = 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
    end
  end
  local codes = {}
  for k, _ in pairs(total) do table.insert(codes, k) end
  table.sort(codes)
  for _, k in ipairs(codes) do
    io.write(string.format("STATUS %d %d\n", k, total[k]))
    if k < 200 or k > 299 then non2xx = non2xx + total[k] end
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d status_err=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx, e.connect, e.read, e.write, e.timeout, e.status))
end
