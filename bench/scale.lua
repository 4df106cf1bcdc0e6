-- wrk script for bench/scale.sh: one kind of page per run, each request a
-- random one of that kind, and the run stops after COUNT responses in all
-- (each wrk thread stops after its share), so every kind is loaded the same
-- number of times whatever its speed; wrk's -d bounds the run in time.
--
--   KIND=front                  /
--   KIND=section  SLUGS=a,b     /sections/SLUG?page=P, P random in [PAGE_MIN, PAGE_MAX]
--   KIND=article  MIN_ID MAX_ID /articles/ID
--   KIND=reporter IDS=1,2       /reporters/ID?page=P, P random in [PAGE_MIN, PAGE_MAX]
--   KIND=search   QUERIES=a|b   /search?q=Q (Q given percent-encoded)
local kind = os.getenv("KIND") or "front"
local count = tonumber(os.getenv("COUNT") or "10000")
local page_min = tonumber(os.getenv("PAGE_MIN") or "1")
local page_max = tonumber(os.getenv("PAGE_MAX") or "1")
local min_id = tonumber(os.getenv("MIN_ID") or "1")
local max_id = tonumber(os.getenv("MAX_ID") or "1")

local function split(s, sep)
	local t = {}
	for v in string.gmatch(s or "", "[^" .. sep .. "]+") do
		t[#t + 1] = v
	end
	return t
end
local slugs = split(os.getenv("SLUGS"), ",")
local ids = split(os.getenv("IDS"), ",")
local queries = split(os.getenv("QUERIES"), "|")

local threads = {}
local nthreads = 0

setup = function(thread)
	nthreads = nthreads + 1
	thread:set("tid", nthreads)
	threads[#threads + 1] = thread
end

local done = 0
local share = count

init = function(args)
	-- Every thread gets its own sequence; wrk starts them in the same second.
	math.randomseed(os.time() * 100 + (tid or 0))
	share = math.ceil(count / (tonumber(os.getenv("WRK_THREADS") or "1")))
end

local function page()
	local p = math.random(page_min, page_max)
	if p == 1 then
		return ""
	end
	return "?page=" .. p
end

request = function()
	local path
	if kind == "section" then
		path = "/sections/" .. slugs[math.random(#slugs)] .. page()
	elseif kind == "article" then
		path = "/articles/" .. math.random(min_id, max_id)
	elseif kind == "reporter" then
		path = "/reporters/" .. ids[math.random(#ids)] .. page()
	elseif kind == "search" then
		path = "/search?q=" .. queries[math.random(#queries)]
	else
		path = "/"
	end
	return wrk.format("GET", path)
end

response = function(status, headers, body)
	done = done + 1
	if done >= share then
		wrk.thread:stop()
	end
end
