-- wrk script: every request asks for a random article id in [MIN_ID, MAX_ID].
local min_id = tonumber(os.getenv("MIN_ID") or "1")
local max_id = tonumber(os.getenv("MAX_ID") or "100000")
math.randomseed(os.time())
request = function()
	return wrk.format("GET", "/articles/" .. math.random(min_id, max_id))
end
