-- Neovim as drain-clangd's client, for test/tools/neovim.test. Neovim 0.7 API only (Debian 12).
--
--   DRAIN_NVIM_DOC=integrations/editors/neovim.md DRAIN_NVIM_FILE=project/conn.cpp \
--   DRAIN_NVIM_FIXED=conn_fixed.cpp [DRAIN_NVIM_TIMEOUT=seconds] \
--     nvim --headless --clean -c 'luafile nvim_drain.lua'
--
-- 1. Runs the lua block that follows the neovim.test marker in DRAIN_NVIM_DOC: the user's
--    configuration, word for word (drain-clangd is found on PATH).
-- 2. :edit DRAIN_NVIM_FILE; the FileType autocommand starts and attaches the client; waits for
--    the first publishDiagnostics of the file and prints drain's diagnostics as
--    vim.diagnostic.get() has them (line:col message [source code], then each note).
-- 3. Replaces the buffer's text with DRAIN_NVIM_FIXED, waits for the diagnostics of that
--    version and prints drain's again.
-- 4. Stops the client, waits for it to be gone, prints "ok" and quits with 0.
-- Any failure (a wait timing out, no client) prints "nvim_drain.lua: FAIL: ..." on stderr and
-- quits with 1.

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function fail(msg)
  io.stderr:write("\nnvim_drain.lua: FAIL: " .. msg .. '\n')
  io.stderr:write('nvim_drain.lua: the LSP log (clangd\'s stderr included) is '
    .. vim.lsp.get_log_path() .. '\n')
  io.stderr:flush()
  vim.cmd('cquit 1')
end

local function env(name)
  local v = os.getenv(name)
  if not v or v == '' then
    fail('environment variable ' .. name .. ' is not set')
  end
  return v
end

local function read(path)
  local f = io.open(path, 'r')
  if not f then
    fail('cannot read ' .. path)
  end
  local text = f:read('*a')
  f:close()
  return text
end

local timeout_ms = tonumber(os.getenv('DRAIN_NVIM_TIMEOUT') or '180') * 1000
local v = vim.version()
say(string.format('nvim %d.%d.%d', v.major, v.minor, v.patch))

-- 1. The documented configuration.
local doc_path = env('DRAIN_NVIM_DOC')
local doc = read(doc_path)
local marker = '<!-- test/tools/neovim.test loads the next lua block'
local at = doc:find(marker, 1, true)
if not at then
  fail('no line "' .. marker .. '" in ' .. doc_path)
end
local config = doc:match('```lua\n(.-)\n```', at)
if not config then
  fail('no ```lua block after the marker in ' .. doc_path)
end
local chunk, err = loadstring(config, '=' .. doc_path)
if not chunk then
  fail('the configuration in ' .. doc_path .. ' does not load: ' .. err)
end
chunk()

-- Every publishDiagnostics that reaches Neovim, after Neovim's own handler has stored it.
local published = {}
local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, result, ctx, cfg)
  default_handler(e, result, ctx, cfg)
  table.insert(published, result)
end

-- 2. Open the buggy file.
local file = env('DRAIN_NVIM_FILE')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)
say('filetype ' .. vim.bo[buf].filetype)

local client
vim.wait(10000, function()
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    client = c
  end
  return client ~= nil
end, 50)
if not client then
  fail('no LSP client attached to ' .. file .. ' (is drain-clangd on PATH?)')
end
say('client ' .. client.name .. ' cmd ' .. table.concat(client.config.cmd, ' ')
  .. ' root ' .. vim.fn.fnamemodify(client.config.root_dir, ':t'))

-- Waits for a publishDiagnostics of this buffer's uri, after the first `after` ones, whose
-- version (when clangd gives one) is at least min_version; returns it.
local function wait_publish(after, min_version, what)
  local got
  local ok = vim.wait(timeout_ms, function()
    for i = after + 1, #published do
      local r = published[i]
      if r.uri == uri and (r.version == nil or min_version == nil or r.version >= min_version) then
        got = r
        return true
      end
    end
    return false
  end, 100)
  if not ok then
    fail(string.format('no diagnostics for %s within %d s', what, timeout_ms / 1000))
  end
  return got
end

local function drain_diagnostics()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'clang-tidy' and type(d.code) == 'string' and d.code:find('^drain%-') then
      table.insert(list, d)
    end
  end
  table.sort(list, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return list
end

local function show(title)
  local list = drain_diagnostics()
  say(string.format('%s: %d drain diagnostic(s) of %d', title, #list,
    #vim.diagnostic.get(buf)))
  for _, d in ipairs(list) do
    say(string.format('%d:%d %s [%s %s]', d.lnum + 1, d.col + 1, d.message, d.source, d.code))
    local lsp = d.user_data and d.user_data.lsp or {}
    for _, note in ipairs(lsp.relatedInformation or {}) do
      local s = note.location.range.start
      say(string.format('  note %d:%d %s', s.line + 1, s.character + 1, note.message))
    end
  end
  return list
end

wait_publish(0, nil, 'the buggy file')
show('buggy')

-- 3. The fix, typed into the same buffer.
local before = #published
local fixed = vim.split(read(env('DRAIN_NVIM_FIXED')), '\n', true)
if fixed[#fixed] == '' then
  table.remove(fixed)
end
vim.api.nvim_buf_set_lines(buf, 0, -1, false, fixed)
local version = vim.lsp.util.buf_versions[buf]
wait_publish(before, version, 'the fixed text (version ' .. tostring(version) .. ')')
show('fixed')

-- 4. Stop the server.
local id = client.id
vim.lsp.stop_client(id)
if not vim.wait(20000, function() return vim.lsp.client_is_stopped(id) end, 50) then
  fail('drain-clangd did not stop within 20 s')
end
say('ok')
vim.cmd('qall!')
