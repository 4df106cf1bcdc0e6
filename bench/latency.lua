-- bench/latency.lua - wrk script for bench/http.sh.
--
-- With PACE_MS set above 0, every connection waits that many milliseconds
-- after each response before it sends its next request, so both servers
-- are offered the same load (at most connections / PACE_MS requests a
-- millisecond) and the latency compared is the servers', not that of a
-- client that cannot keep up.  Without it wrk sends as fast as answers
-- come back (the saturated run).
--
-- Prints one line: requests/s, latency percentiles and the maximum in ms.
local pace = tonumber(os.getenv("PACE_MS") or "0") or 0

if pace > 0 then
	delay = function()
		return pace
	end
end

done = function(summary, latency, requests)
	local out = string.format("rps=%.0f", summary.requests / (summary.duration / 1e6))
	for _, p in ipairs({ 50, 90, 99, 99.9 }) do
		out = out .. string.format(" p%s=%.2f", p, latency:percentile(p) / 1000)
	end
	out = out .. string.format(" max=%.2f errors=%d", latency.max / 1000,
		summary.errors.connect + summary.errors.read + summary.errors.write
		+ summary.errors.status + summary.errors.timeout)
	io.write(out .. "\n")
end
