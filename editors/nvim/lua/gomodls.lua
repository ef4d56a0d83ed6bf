-- Helpers for gomodls in Neovim 0.7+: fix on save.
--
--   vim.api.nvim_create_autocmd('BufWritePre', {
--     pattern = { 'go.mod', 'go.work' },
--     callback = function(args) require('gomodls').fix_all(args.buf) end,
--   })
--
-- fix_all asks the gomodls client synchronously for the
-- source.fixAll.gomodls code action and applies its text edits. It never
-- runs a command: the fix-all action is a pure text edit, and fixes that
-- run the go command stay quick fixes you choose.
local M = {}

M.kind = 'source.fixAll.gomodls'

-- fix_all applies gomodls' fix-all edits to buffer bufnr (0 or nil: the
-- current one), waiting at most timeout_ms (default 1000) for the answer.
-- It returns the number of actions applied.
function M.fix_all(bufnr, timeout_ms)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  local last_line = vim.api.nvim_buf_get_lines(bufnr, last, last + 1, false)[1] or ''
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = 0, character = 0 },
      ['end'] = { line = last, character = #last_line },
    },
    context = { only = { M.kind }, diagnostics = {} },
  }
  local results = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout_ms or 1000)
  local applied = 0
  for client_id, res in pairs(results or {}) do
    local client = vim.lsp.get_client_by_id(client_id)
    for _, action in ipairs(res.result or {}) do
      -- Only the edit: a command would not finish before the write.
      if action.kind == M.kind and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client and client.offset_encoding or 'utf-16')
        applied = applied + 1
        break -- one merged action per client; a second would apply to moved text
      end
    end
  end
  return applied
end

return M
