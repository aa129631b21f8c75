-- wrk script for tests/bench/run.sh: only a done() callback, so wrk keeps its
-- fast path (no Lua call per request or response).
--
-- Prints one line in a fixed format, latencies in microseconds:
-- BENCH requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N
--       mean_us=F err_connect=N err_read=N err_write=N err_timeout=N
--       non2xx=N
-- non2xx is wrk's "Non-2xx or 3xx responses" count (status >= 400).

done = function(summary, latency, requests)
	local secs = summary.duration / 1e6
	local rps = 0
	if secs > 0 then
		rps = summary.requests / secs
	end
	io.write(string.format(
		"BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d " ..
		"p99_us=%d max_us=%d mean_us=%.1f err_connect=%d err_read=%d " ..
		"err_write=%d err_timeout=%d non2xx=%d\n",
		summary.requests, summary.duration, rps,
		latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, latency.mean,
		summary.errors.connect, summary.errors.read,
		summary.errors.write, summary.errors.timeout,
		summary.errors.status))
end
