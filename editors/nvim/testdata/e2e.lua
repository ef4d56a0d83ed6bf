-- Neovim end-to-end test for gomodls, driven by e2e_test.go:
--   nvim --headless -u NONE -i NONE -c "luafile testdata/e2e.lua"
-- Runs on Neovim 0.7+. Environment:
--   GOMODLS_BIN      the gomodls binary to start
--   GOMODLS_NVIM_DIR editors/nvim (put on 'runtimepath')
--   GOMODLS_WORK     a copy of testdata/broken-gowork
--   GOMODLS_LOG      where this script writes its log
--   GOMODLS_SERVER_LOG where gomodls writes its log
-- It exits 0 when every step passed, 1 otherwise (the log says which).

local env = vim.env
local logf = assert(io.open(env.GOMODLS_LOG, 'w'))
local function log(fmt, ...)
  logf:write(string.format(fmt, ...), '\n')
  logf:flush()
end

local function check(cond, fmt, ...)
  if not cond then
    error(string.format(fmt, ...), 0)
  end
end

-- wait_for waits up to ms for cond(); what describes the wait in the failure.
local function wait_for(ms, what, cond)
  local ok = vim.wait(ms, cond, 50)
  check(ok, 'timed out after %d ms waiting for %s', ms, what)
end

local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(out, { code = code, lnum = d.lnum, message = d.message, source = d.source })
  end
  return out
end

local function has_code(bufnr, code)
  for _, d in ipairs(codes(bufnr)) do
    if d.code == code then
      return d
    end
  end
  return nil
end

local function lines(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

local function run()
  log('neovim %s', tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch))
  local dir = env.GOMODLS_NVIM_DIR
  local work = env.GOMODLS_WORK
  vim.opt.runtimepath:prepend(dir)
  vim.lsp.set_log_level('warn')

  -- 1. The 0.11 config file: a table of the right shape (0.7 has no
  -- vim.lsp.config to load it with).
  local cfg = dofile(dir .. '/lsp/gomodls.lua')
  check(type(cfg) == 'table', 'lsp/gomodls.lua returns %s, want a table', type(cfg))
  check(vim.deep_equal(cfg.cmd, { 'gomodls' }), 'cmd = %s', vim.inspect(cfg.cmd))
  check(vim.deep_equal(cfg.filetypes, { 'gomod', 'gowork', 'gosum' }), 'filetypes = %s', vim.inspect(cfg.filetypes))
  check(vim.deep_equal(cfg.root_markers, { 'go.work', 'go.mod', '.git' }), 'root_markers = %s', vim.inspect(cfg.root_markers))
  log('lsp/gomodls.lua: cmd %s, filetypes %s, root_markers %s', vim.inspect(cfg.cmd), vim.inspect(cfg.filetypes), vim.inspect(cfg.root_markers))

  -- 2. The lspconfig entry, with a stand-in lspconfig.util.
  local patterns = {}
  package.loaded['lspconfig.util'] = {
    root_pattern = function(...)
      local pats = { ... }
      table.insert(patterns, pats)
      return function(fname)
        for _, p in ipairs(pats) do
          local found = vim.fn.findfile(p, vim.fn.fnamemodify(fname, ':p:h') .. ';')
          if found ~= '' then
            return vim.fn.fnamemodify(found, ':p:h')
          end
        end
        return nil
      end
    end,
  }
  local lc = dofile(dir .. '/lspconfig/gomodls.lua')
  package.loaded['lspconfig.util'] = nil
  check(type(lc.default_config) == 'table', 'lspconfig entry has no default_config')
  check(vim.deep_equal(lc.default_config.cmd, cfg.cmd), 'lspconfig cmd = %s', vim.inspect(lc.default_config.cmd))
  check(vim.deep_equal(lc.default_config.filetypes, cfg.filetypes), 'lspconfig filetypes = %s', vim.inspect(lc.default_config.filetypes))
  check(type(lc.docs) == 'table' and type(lc.docs.description) == 'string', 'lspconfig entry has no docs.description')
  local root = lc.default_config.root_dir(work .. '/a/go.mod')
  check(root == work, 'lspconfig root_dir(a/go.mod) = %s, want the go.work directory %s', tostring(root), work)
  log('lspconfig/gomodls.lua: root_dir(a/go.mod) = the go.work directory')

  -- 3. Filetypes, through plugin/gomodls.lua.
  vim.cmd('filetype on')
  vim.cmd('runtime! plugin/gomodls.lua')
  for name, want in pairs({ ['go.work'] = 'gowork', ['go.work.sum'] = 'gosum', ['a/go.mod'] = 'gomod', ['a/go.sum'] = 'gosum' }) do
    vim.cmd('edit ' .. vim.fn.fnameescape(work .. '/' .. name))
    check(vim.bo.filetype == want, '%s: filetype %q, want %q', name, vim.bo.filetype, want)
    log('filetype of %s: %s', name, vim.bo.filetype)
  end

  -- 4. Start gomodls as 0.7–0.10 do and attach it to go.work.
  local cmd = vim.deepcopy(cfg.cmd)
  cmd[1] = env.GOMODLS_BIN
  vim.list_extend(cmd, { 'serve', '-log-file', env.GOMODLS_SERVER_LOG, '-log-level', 'debug' })
  local client_id = vim.lsp.start_client({ name = 'gomodls', cmd = cmd, root_dir = work })
  check(client_id, 'vim.lsp.start_client failed')
  vim.cmd('edit ' .. vim.fn.fnameescape(work .. '/go.work'))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.lsp.buf_attach_client(buf, client_id), 'buf_attach_client failed')
  log('started gomodls (client %d), attached to go.work', client_id)

  -- 5. The diagnostic.
  wait_for(20000, 'the gowork-use-missing-dir diagnostic on go.work', function()
    return has_code(buf, 'gowork-use-missing-dir') ~= nil
  end)
  for _, d in ipairs(codes(buf)) do
    log('diagnostic: go.work:%d: %s [%s] (%s)', d.lnum + 1, d.message, tostring(d.code), tostring(d.source))
  end
  local d = has_code(buf, 'gowork-use-missing-dir')
  check(d.lnum == 5, 'diagnostic on line %d, want 6 (the use of ./missing)', d.lnum + 1)

  -- 6. Code actions on the diagnostic's line.
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = #line } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
  check(res and res[client_id], 'no answer to textDocument/codeAction')
  check(not res[client_id].error, 'textDocument/codeAction: %s', vim.inspect(res[client_id].error))
  local titles = {}
  for _, a in ipairs(res[client_id].result or {}) do
    log('code action: [%s] %s', tostring(a.kind), a.title)
    titles[a.kind .. ' ' .. a.title] = true
  end
  check(titles['quickfix Remove use of ./missing'], 'no quickfix "Remove use of ./missing" among the code actions')

  -- 7. Fix on save: the documented BufWritePre recipe, then :write.
  local applied
  vim.api.nvim_create_autocmd('BufWritePre', {
    pattern = { 'go.mod', 'go.work' },
    callback = function(args)
      applied = require('gomodls').fix_all(args.buf, 5000)
    end,
  })
  vim.cmd('write')
  check(applied == 1, 'fix on save applied %s fix-all actions, want 1', tostring(applied))
  log('fix on save applied the source.fixAll.gomodls edit and wrote go.work:')
  for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    log('  | %s', l)
  end
  check(not vim.bo[buf].modified, 'go.work still modified after :write')
  wait_for(10000, 'the diagnostics of go.work to clear after the fix', function()
    return #codes(buf) == 0
  end)
  log('diagnostics of go.work after the fix: none')

  -- 8. Neovim 0.7 registers no file watchers: gomodls watches the disk
  -- itself. Remove a/go.mod outside the editor; the use of ./a breaks.
  local gomod = work .. '/a/go.mod'
  local saved = assert(io.open(gomod)):read('*a')
  assert(os.remove(gomod))
  wait_for(20000, 'gowork-use-no-gomod after a/go.mod was removed on disk', function()
    return has_code(buf, 'gowork-use-no-gomod') ~= nil
  end)
  local nd = has_code(buf, 'gowork-use-no-gomod')
  log('removed a/go.mod on disk -> diagnostic: go.work:%d: %s [gowork-use-no-gomod]', nd.lnum + 1, nd.message)
  local f = assert(io.open(gomod, 'w'))
  f:write(saved)
  f:close()
  wait_for(20000, 'the diagnostics to clear after a/go.mod came back', function()
    return #codes(buf) == 0
  end)
  log('restored a/go.mod on disk -> diagnostics of go.work: none')

  vim.lsp.stop_client(client_id)
  wait_for(5000, 'gomodls to exit', function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end)
  log('gomodls stopped')
end

local ok, err = xpcall(run, debug.traceback)
if ok then
  log('PASS')
  logf:close()
  vim.cmd('qall!')
else
  log('FAIL: %s', tostring(err))
  logf:close()
  vim.cmd('cquit 1')
end
