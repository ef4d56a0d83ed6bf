-- Neovim end-to-end test for gomodls, driven by e2e_test.go:
--   nvim --headless -u NONE -i NONE -c "luafile testdata/e2e.lua"
-- It starts gomodls with one of the two recipes of ../README.md, chosen by
-- GOMODLS_RECIPE:
--   start_client  Neovim 0.7-0.10: vim.lsp.start_client, buf_attach_client
--   enable        Neovim 0.11+: vim.lsp.enable('gomodls'), with
--                 lsp/gomodls.lua found on 'runtimepath' as it is
-- and then checks the same things on both. Environment:
--   GOMODLS_RECIPE   start_client or enable
--   PATH             has the gomodls to start (the config's cmd, as is)
--   GOMODLS_NVIM_DIR editors/nvim (put on 'runtimepath')
--   GOMODLS_WORK     a copy of testdata/broken-gowork
--   GOMODLS_LOG      where this script writes its log
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

local recipe = env.GOMODLS_RECIPE

-- line_diagnostics: the LSP diagnostics on line lnum of bufnr, for a code
-- action's context (0.10 deprecated vim.lsp.diagnostic.get_line_diagnostics).
local function line_diagnostics(bufnr, lnum)
  if vim.fn.has('nvim-0.10') == 0 then
    return vim.lsp.diagnostic.get_line_diagnostics(bufnr, lnum)
  end
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
    if d.user_data and d.user_data.lsp then
      table.insert(out, d.user_data.lsp)
    end
  end
  return out
end

-- answer: the result of the one client in a buf_request_sync answer.
local function answer(res, client_id, method)
  check(res and res[client_id], 'no answer to %s', method)
  local err = res[client_id].err or res[client_id].error
  check(not err, '%s: %s', method, vim.inspect(err))
  return res[client_id].result
end

-- same_file: whether paths a and b name the same file.
local function same_file(a, b)
  return vim.fn.resolve(vim.fn.fnamemodify(a, ':p')) == vim.fn.resolve(vim.fn.fnamemodify(b, ':p'))
end

local function run()
  log('neovim %s, recipe %s', tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch), tostring(recipe))
  check(recipe == 'start_client' or recipe == 'enable', 'GOMODLS_RECIPE = %q, want start_client or enable', tostring(recipe))
  if recipe == 'enable' then
    check(vim.fn.has('nvim-0.11') == 1, 'the vim.lsp.enable recipe needs Neovim 0.11+')
  end
  local dir = env.GOMODLS_NVIM_DIR
  local work = env.GOMODLS_WORK
  vim.opt.runtimepath:prepend(dir)
  if vim.lsp.log and vim.lsp.log.set_level then
    vim.lsp.log.set_level('warn')
  else
    vim.lsp.set_log_level('warn')
  end
  check(vim.fn.exepath('gomodls') ~= '', 'no gomodls on PATH')

  -- 1. The 0.11 config file: a table of the right shape (on 0.7, which has
  -- no vim.lsp.config to load it with, that is all there is to check).
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

  -- 3. (enable) The 0.11+ recipe, as an init.lua does it before any file
  -- opens: with editors/nvim on 'runtimepath', vim.lsp.config finds
  -- lsp/gomodls.lua there by itself; nothing is copied or overridden.
  if recipe == 'enable' then
    local found = vim.api.nvim_get_runtime_file('lsp/gomodls.lua', true)
    check(#found >= 1 and same_file(found[1], dir .. '/lsp/gomodls.lua'),
      'lsp/gomodls.lua on runtimepath: %s, want %s first', vim.inspect(found), dir .. '/lsp/gomodls.lua')
    vim.lsp.enable('gomodls')
    local resolved = vim.lsp.config.gomodls
    check(type(resolved) == 'table', 'vim.lsp.config.gomodls = %s', vim.inspect(resolved))
    for _, k in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
      check(vim.deep_equal(resolved[k], cfg[k]), 'vim.lsp.config.gomodls.%s = %s, want %s', k, vim.inspect(resolved[k]), vim.inspect(cfg[k]))
    end
    if vim.lsp.is_enabled then -- not in every 0.11
      check(vim.lsp.is_enabled('gomodls'), 'vim.lsp.is_enabled(gomodls) is false after vim.lsp.enable')
    end
    log('vim.lsp.enable(gomodls): config from %s (cmd %s on PATH: %s)', found[1], vim.inspect(resolved.cmd), vim.fn.exepath('gomodls'))
  end

  -- 4. Filetypes, through plugin/gomodls.lua.
  vim.cmd('filetype on')
  vim.cmd('runtime! plugin/gomodls.lua')
  for name, want in pairs({ ['go.work'] = 'gowork', ['go.work.sum'] = 'gosum', ['a/go.mod'] = 'gomod', ['a/go.sum'] = 'gosum' }) do
    vim.cmd('edit ' .. vim.fn.fnameescape(work .. '/' .. name))
    check(vim.bo.filetype == want, '%s: filetype %q, want %q', name, vim.bo.filetype, want)
    log('filetype of %s: %s', name, vim.bo.filetype)
  end

  -- 5. gomodls attached to go.work: (start_client) started as the 0.7-0.10
  -- recipe does; (enable) started by vim.lsp.enable when the files above
  -- opened, one client for the whole workspace, rooted at the go.work.
  vim.cmd('edit ' .. vim.fn.fnameescape(work .. '/go.work'))
  local buf = vim.api.nvim_get_current_buf()
  local client_id
  if recipe == 'start_client' then
    client_id = vim.lsp.start_client({ name = 'gomodls', cmd = cfg.cmd, root_dir = work })
    check(client_id, 'vim.lsp.start_client failed')
    check(vim.lsp.buf_attach_client(buf, client_id), 'buf_attach_client failed')
    log('started gomodls (client %d), attached to go.work', client_id)
  else
    wait_for(10000, 'vim.lsp.enable to attach gomodls to go.work', function()
      return #vim.lsp.get_clients({ bufnr = buf, name = 'gomodls' }) > 0
    end)
    local clients = vim.lsp.get_clients({ name = 'gomodls' })
    check(#clients == 1, '%d gomodls clients, want 1 for the workspace', #clients)
    local client = clients[1]
    client_id = client.id
    check(same_file(client.root_dir, work), 'client root_dir %s, want the go.work directory %s', tostring(client.root_dir), work)
    for _, name in ipairs({ 'go.work', 'go.work.sum', 'a/go.mod', 'a/go.sum' }) do
      local b = vim.fn.bufnr(work .. '/' .. name)
      check(b > 0 and vim.lsp.buf_is_attached(b, client_id), '%s: gomodls not attached', name)
    end
    log('vim.lsp.enable started gomodls (client %d, root_dir the go.work directory), attached to go.work, go.work.sum, a/go.mod, a/go.sum', client_id)
  end

  -- 6. The diagnostic.
  wait_for(20000, 'the gowork-use-missing-dir diagnostic on go.work', function()
    return has_code(buf, 'gowork-use-missing-dir') ~= nil
  end)
  for _, d in ipairs(codes(buf)) do
    log('diagnostic: go.work:%d: %s [%s] (%s)', d.lnum + 1, d.message, tostring(d.code), tostring(d.source))
  end
  local d = has_code(buf, 'gowork-use-missing-dir')
  check(d.lnum == 5, 'diagnostic on line %d, want 6 (the use of ./missing)', d.lnum + 1)

  -- 7. Code actions on the diagnostic's line.
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = #line } },
    context = { diagnostics = line_diagnostics(buf, d.lnum) },
  }
  check(#params.context.diagnostics >= 1, 'no LSP diagnostics on go.work:%d for the code action context', d.lnum + 1)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
  local titles = {}
  for _, a in ipairs(answer(res, client_id, 'textDocument/codeAction') or {}) do
    log('code action: [%s] %s', tostring(a.kind), a.title)
    titles[a.kind .. ' ' .. a.title] = true
  end
  check(titles['quickfix Remove use of ./missing'], 'no quickfix "Remove use of ./missing" among the code actions')

  -- 8. (enable) Hover on the go line of go.work: gomodls' markdown, in
  -- Neovim's hover window.
  if recipe == 'enable' then
    local hres = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = 0, character = 3 },
    }, 5000)
    local h = answer(hres, client_id, 'textDocument/hover')
    check(type(h) == 'table' and type(h.contents) == 'table', 'hover on go.work:1 = %s', vim.inspect(h))
    check(h.contents.kind == 'markdown', 'hover kind %s, want markdown', tostring(h.contents.kind))
    for _, want in ipairs({ '**Mode**: workspace mode', '**Main modules**: example.com/a' }) do
      check(h.contents.value:find(want, 1, true), 'hover on go.work:1 lacks %q:\n%s', want, h.contents.value)
    end
    -- As in a default setup (-u NONE turns syntax off): with syntax on,
    -- the hover window is markdown highlighted by tree-sitter.
    vim.cmd('syntax on')
    vim.api.nvim_win_set_cursor(0, { 1, 3 })
    vim.lsp.buf.hover()
    local float
    wait_for(5000, 'the hover window', function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(w).relative ~= '' then
          float = w
          return true
        end
      end
      return false
    end)
    local fbuf = vim.api.nvim_win_get_buf(float)
    local text = lines(fbuf)
    check(text:find('workspace mode', 1, true), 'hover window:\n%s', text)
    check(vim.bo[fbuf].filetype == 'markdown', 'hover window filetype %q, want markdown', vim.bo[fbuf].filetype)
    check(vim.treesitter.highlighter.active[fbuf] ~= nil, 'hover window not highlighted by tree-sitter')
    log('hover on go.work:1 (the go line), a markdown window (tree-sitter):')
    for _, l in ipairs(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false)) do
      log('  | %s', l)
    end
    vim.api.nvim_win_close(float, true)
  end

  -- 9. Fix on save: the documented BufWritePre recipe, then :write.
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

  -- 10. Neovim on Linux registers no file watchers: gomodls watches the disk
  -- itself. Remove a/go.mod outside the editor; the use of ./a breaks.
  -- First close its buffer, which step 4 opened (and vim.lsp.enable
  -- attached): while a file is open, the editor's text of it counts, not
  -- the disk's.
  local gomod = work .. '/a/go.mod'
  vim.cmd('bwipeout ' .. vim.fn.bufnr(gomod))
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

  -- 10b. A command that rewrites go.work while it is open: go work use -r .
  -- (the fix "Add all modules") with a new module b on disk. gomodls has go
  -- write a private copy and sends the result as an edit of the buffer:
  -- the buffer has ./b, unsaved, and the disk does not, until :write.
  vim.fn.mkdir(work .. '/b', 'p')
  local bf = assert(io.open(work .. '/b/go.mod', 'w'))
  bf:write('module example.com/b\n\ngo 1.22\n')
  bf:close()
  wait_for(20000, 'gowork-module-not-used for the new module b', function()
    return has_code(buf, 'gowork-module-not-used') ~= nil
  end)
  local disk_before = assert(io.open(work .. '/go.work')):read('*a')
  local use = vim.lsp.buf_request_sync(buf, 'workspace/executeCommand', {
    command = 'gomodls.workUse',
    arguments = { { dir = vim.uri_from_fname(work), args = { '-r', '.' } } },
  }, 30000)
  answer(use, client_id, 'workspace/executeCommand gomodls.workUse')
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  check(text:find('./b', 1, true), 'go.work buffer after go work use -r . lacks ./b:\n%s', text)
  check(vim.bo[buf].modified, 'go.work buffer not modified: the result did not come as an edit')
  local disk_after = assert(io.open(work .. '/go.work')):read('*a')
  check(disk_after == disk_before, 'go.work on disk changed behind the buffer:\n%s', disk_after)
  log('go work use -r . with go.work open: the buffer has ./b, unsaved; the disk is unchanged:')
  for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    log('  | %s', l)
  end
  wait_for(20000, 'gowork-module-not-used to go (the diagnostics follow the buffer)', function()
    return has_code(buf, 'gowork-module-not-used') == nil
  end)
  -- The edit is an undo step. (Headless, with no keystroke between them,
  -- Neovim joins it with the earlier fix-on-save edit: undo takes back
  -- both, so the check is that ./b is gone, not that the buffer is clean.)
  vim.cmd('undo')
  text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  check(not text:find('./b', 1, true), 'undo left ./b in the go.work buffer:\n%s', text)
  log('undo: ./b is gone from the buffer')
  vim.cmd('edit!')

  if recipe == 'enable' then
    vim.lsp.get_client_by_id(client_id):stop()
  else
    vim.lsp.stop_client(client_id)
  end
  wait_for(5000, 'gomodls to exit', function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end)
  log('gomodls stopped')

  -- 11. (enable) Nothing used here, in the recipes or in lua/gomodls.lua,
  -- is deprecated on this Neovim.
  if recipe == 'enable' then
    local messages = vim.api.nvim_exec2('messages', { output = true }).output
    check(not messages:lower():find('deprecat', 1, true), 'deprecation warnings:\n%s', messages)
    log('no deprecation warnings')
  end
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
