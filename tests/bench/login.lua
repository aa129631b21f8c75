-- wrk script for tests/bench/login.sh: POST /v1/sessions for a random
-- benchmark account, from a random client address (the server trusts
-- X-Forwarded-For from loopback in this run), so that the per-account and
-- per-IP rate limits are not what is measured.
local accounts = tonumber(os.getenv("BENCH_LOGIN_ACCOUNTS") or "1000")
local password = os.getenv("BENCH_LOGIN_PASSWORD") or "bench-password-2026"
local created, failed = 0, 0

request = function()
	local i = math.random(1, accounts)
	local body = string.format(
		'{"email":"bench-%d@example.org","password":"%s"}', i, password)
	local headers = {
		["Content-Type"] = "application/json",
		["X-Forwarded-For"] = string.format("198.18.%d.%d",
			math.random(0, 255), math.random(1, 254)),
	}
	return wrk.format("POST", "/v1/sessions", headers, body)
end

done = function(summary, latency, requests)
	local secs = summary.duration / 1e6
	io.write(string.format(
		"LOGIN requests=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d " ..
		"non2xx=%d err_timeout=%d\n",
		summary.requests, summary.requests / secs,
		latency:percentile(50), latency:percentile(90),
		latency:percentile(99), summary.errors.status,
		summary.errors.timeout))
end
