-- wrk script for tests/bench/ballots.sh: POST pre-signed ballots, each
-- thread its own share of the file (one JSON body per line), so that no
-- ballot is sent twice while there are fresh ones. Counts the 201s.
local path = os.getenv("BENCH_BALLOTS_PATH")
local file = os.getenv("BENCH_BALLOTS_FILE")
local nthreads = tonumber(os.getenv("BENCH_BALLOTS_THREADS") or "2")
local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

function init(args)
	bodies = {}
	local n = 0
	for line in io.lines(file) do
		if n % nthreads == tid then
			table.insert(bodies, line)
		end
		n = n + 1
	end
	idx = 0
	created = 0
	headers = { ["Content-Type"] = "application/json" }
end

function request()
	idx = idx + 1
	if idx > #bodies then idx = 1 end
	return wrk.format("POST", path, headers, bodies[idx])
end

function response(status, hdrs, body)
	if status == 201 then created = created + 1 end
end

function done(summary, latency, requests)
	local total = 0
	for _, t in ipairs(threads) do total = total + t:get("created") end
	local secs = summary.duration / 1e6
	io.write(string.format(
		"BALLOTS requests=%d created=%d rps=%.1f p50_us=%d p99_us=%d\n",
		summary.requests, total, total / secs,
		latency:percentile(50), latency:percentile(99)))
end
