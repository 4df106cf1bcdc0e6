-- bench/latency.lua - wrk script for bench/http.sh's saturated runs.
--
-- Prints one line: requests/s, latency percentiles and the maximum in ms,
-- and the errors of every kind (bench/http.sh reads it).
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
