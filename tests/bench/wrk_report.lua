-- wrk's script for the benchmark harness (tests/bench/wrk.py): every connection sends the same
-- request, with a cookie of its own when several are given, counts the status codes answered, and
-- at the end writes a JSON report to BENCH_WRK_OUT: requests, errors, duration, status counts and
-- p50, p99 and the latency quantile curve, from which the harness rebuilds the latencies to merge
-- the rounds of one page (percentiles of rounds cannot simply be averaged).
--
-- Settings come from the environment, not wrk's `--` arguments, so a form body needs no quoting:
-- BENCH_WRK_METHOD, BENCH_WRK_BODY (form-encoded, may be empty), BENCH_WRK_COOKIES (one Cookie
-- header per line; connection i of thread t uses line t mod n: one connection per thread, so one
-- cookie per client as the Python client does), BENCH_WRK_OUT.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  local cookies = {}
  for line in string.gmatch(os.getenv("BENCH_WRK_COOKIES") or "", "[^\n]+") do
    table.insert(cookies, line)
  end
  local headers = { ["User-Agent"] = "portal-bench" }
  if #cookies > 0 then
    headers["Cookie"] = cookies[(id % #cookies) + 1]
  end
  local body = os.getenv("BENCH_WRK_BODY")
  if body == "" then
    body = nil
  else
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  prepared = wrk.format(os.getenv("BENCH_WRK_METHOD") or "GET", nil, headers, body)
end

function request()
  return prepared
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  -- wrk 4.1 gives percentiles, not its histogram: the quantile curve in 0.5% steps (and p99.9),
  -- from which the harness rebuilds one latency per request to merge a page's rounds.
  local curve = {}
  if summary.requests > 0 then
    for i = 0, 199 do
      table.insert(curve, string.format("[%.2f, %d]", i * 0.5 + 0.25, latency:percentile(i * 0.5 + 0.25)))
    end
    table.insert(curve, string.format("[%.2f, %d]", 99.9, latency:percentile(99.9)))
    table.insert(curve, string.format("[%.2f, %d]", 100, latency.max))
  end
  local e = summary.errors
  local out = io.open(os.getenv("BENCH_WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}, "statuses": {%s}, "p50_us": %d, "p99_us": %d, "curve_us": [%s]}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "), latency:percentile(50), latency:percentile(99), table.concat(curve, ", ")
  ))
  out:close()
end
