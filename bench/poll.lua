-- 3,000 open "My hardware" pages polling every 2 s, as htmx does (bench/polling.py runs it).
--
-- wrk -s bench/poll.lua <base url> -- <pages file> <interval ms>
-- The pages file has one page a line: "<poll path> <ETag the page was rendered with, or ->
-- <Cookie header value>".
-- Run it with as many connections as pages: thread i owns the i-th slice of the pages and
-- each of its connections stands for one of them. wrk tells a script nothing about which
-- connection a response came on, so a page's ETag is keyed by its poll URL: a 200 carries
-- the fragment, whose data-hx-get is that URL (as the browser's htmx reads it); a 304
-- changes nothing. Each request sends If-None-Match with the page's last ETag. The token is
-- signed with a timestamp (value:time:signature), so the key is the part before the first
-- ":", the signed value, which is the same every time a scope is signed.
-- The first poll of each connection waits a random part of the interval (pages are opened
-- at different moments), every later one the whole interval.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("index", counter)
   table.insert(threads, thread)
end

function init(args)
   local file, interval = args[1], tonumber(args[2])
   period = interval
   local all = {}
   for line in io.lines(file) do
      local path, etag, cookie = line:match("^(%S+) (%S+) (.+)$")
      if path then
         table.insert(all, { path = path, etag = etag, cookie = cookie })
      end
   end
   -- wrk gives each thread connections / threads connections; own the same share of pages.
   local total, mine = tonumber(args[3]), tonumber(args[4])
   pages = {}
   local first = (index - 1) * mine + 1
   for i = first, math.min(first + mine - 1, #all) do
      table.insert(pages, all[i])
   end
   etags = {}
   for _, page in ipairs(pages) do
      if page.etag ~= "-" then
         etags[key(page.path)] = page.etag
      end
   end
   next_page = 0
   started = 0
   status_200, status_304, status_other = 0, 0, 0
   others = {}
   other_codes = ""
   math.randomseed(os.time() + index * 7919)
end

function delay()
   -- Called before each request of a connection; the first #pages are the first polls.
   started = started + 1
   if started <= #pages then
      return math.random(0, period - 1)
   end
   return period
end

function key(path)
   return path:match("^/live/([^:/]+)") or path
end

function request()
   next_page = next_page % #pages + 1
   local page = pages[next_page]
   local headers = { ["Cookie"] = page.cookie, ["HX-Request"] = "true" }
   local etag = etags[key(page.path)]
   if etag then
      headers["If-None-Match"] = etag
   end
   return wrk.format("GET", page.path, headers)
end

function response(status, headers, body)
   if status == 304 then
      status_304 = status_304 + 1
   elseif status == 200 then
      status_200 = status_200 + 1
      local path = body:match('data%-hx%-get="([^"]+)"')
      if path and headers["ETag"] then
         etags[key(path)] = headers["ETag"]
      end
   else
      status_other = status_other + 1
      others[status] = (others[status] or 0) + 1
      local codes = {}
      for code, n in pairs(others) do
         table.insert(codes, code .. "x" .. n)
      end
      other_codes = table.concat(codes, ",")
   end
end

function done(summary, latency, requests)
   local ok, not_modified, other, codes = 0, 0, 0, {}
   for _, thread in ipairs(threads) do
      ok = ok + thread:get("status_200")
      not_modified = not_modified + thread:get("status_304")
      other = other + thread:get("status_other")
      if thread:get("other_codes") ~= "" then
         table.insert(codes, thread:get("other_codes"))
      end
   end
   io.write(string.format("POLL-STATUS 200=%d 304=%d other=%d\n", ok, not_modified, other))
   io.write("POLL-OTHER " .. table.concat(codes, ",") .. "\n")
end
