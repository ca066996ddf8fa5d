-- wrk script for bench/http_load.py: one signed-in account per wrk thread.
--
-- http_load.py runs wrk with as many threads as connections, so each thread drives one
-- connection and one account: requests on a connection go one after another, and the
-- version each autosave returns is the one its account's next autosave sends (no 409s
-- from clients racing each other on one account).
--
-- Environment (read in setup, in wrk's main Lua state):
--   BENCH_ACCOUNTS  file with one "cookie<TAB>csrf<TAB>version" line per account
--   BENCH_MODE      "get" or "post"
--   BENCH_HOST      Host header, as nginx passes it on (a name in TRUSTED_HOSTS)
-- done() prints "bench-version <n> <version>" per account and "bench-status <code> <count>"
-- lines for http_load.py to read back.

local accounts = {}
local threads = {}

function setup(thread)
   if #accounts == 0 then
      for line in io.lines(os.getenv("BENCH_ACCOUNTS")) do
         local cookie, csrf, version = line:match("^([^\t]*)\t([^\t]*)\t(%d+)$")
         table.insert(accounts, {cookie = cookie, csrf = csrf, version = version})
      end
   end
   local n = #threads + 1
   local account = accounts[(n - 1) % #accounts + 1]
   thread:set("number", n)
   thread:set("cookie", account.cookie)
   thread:set("csrf", account.csrf)
   thread:set("version", tonumber(account.version))
   thread:set("mode", os.getenv("BENCH_MODE") or "get")
   thread:set("host", os.getenv("BENCH_HOST") or "localhost")
   table.insert(threads, thread)
end

-- The same body as the step page's script would send: every field of the skills audit,
-- the ratings and the text changing with each save.
local skills = {"communication", "team-working", "clinical-reasoning", "practical-skills",
                "under-pressure", "uncertainty", "organisation", "leadership", "teaching",
                "research", "improvement", "digital"}
local strengths = "Communicating with patients and families: last month I explained a new " ..
   "diagnosis to a frightened family and checked they understood the plan before they " ..
   "went home. Teaching: I run the weekly teaching for the foundation doctors on the ward " ..
   "and change each session after reading their feedback, which I enjoy more than I " ..
   "expected. Staying calm under pressure: during a busy night shift with two sick " ..
   "patients at once I set priorities, asked for help early and kept the team informed " ..
   "about what I was doing. Improving services: I led an audit of discharge letters, " ..
   "shared the results at the departmental meeting and we changed the template, which " ..
   "cut missing medication details by half within three months."

local sent = 0
statuses = {}  -- a global, so that done() can read each thread's with thread:get

local function headers()
   -- What nginx adds in deploy/nginx.conf.template, so ProxyFix sees an HTTPS request.
   local h = {
      ["Host"] = host,
      ["X-Forwarded-For"] = "127.0.0.1",
      ["X-Forwarded-Proto"] = "https",
      ["Cookie"] = cookie,
   }
   if mode == "post" then
      h["Content-Type"] = "application/json"
      h["X-CSRFToken"] = csrf
      -- Flask-WTF checks the Referer of HTTPS posts against the host (WTF_CSRF_SSL_STRICT).
      h["Referer"] = "https://" .. host .. wrk.path
   end
   return h
end

function request()
   if mode ~= "post" then
      return wrk.format("GET", wrk.path, headers())
   end
   sent = sent + 1
   local ratings = {}
   for i, skill in ipairs(skills) do
      table.insert(ratings, string.format('"%s":%d', skill, 1 + (sent + i) % 5))
   end
   local body = string.format(
      '{"version":%d,"answers":{"skills":{%s},"top-strengths":"%s (draft %d.%d)"}}',
      version, table.concat(ratings, ","), strengths, number, sent)
   return wrk.format("POST", wrk.path, headers(), body)
end

function response(status, _, body)
   statuses[status] = (statuses[status] or 0) + 1
   if mode == "post" and (status == 200 or status == 409) then
      -- 200: the new version; 409: the stored one, to carry on from.
      local found = body:match('"version":%s*(%d+)')
      if found then
         version = tonumber(found)
      end
   end
end

function done()
   for n, thread in ipairs(threads) do
      io.write(string.format("bench-version %d %d\n", n, thread:get("version")))
      local counts = thread:get("statuses")
      for code, count in pairs(counts) do
         io.write(string.format("bench-status %d %d\n", code, count))
      end
   end
end
