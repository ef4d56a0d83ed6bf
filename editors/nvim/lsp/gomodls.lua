-- gomodls for Neovim 0.11+ (vim.lsp.config / vim.lsp.enable).
--
-- Put this file on 'runtimepath' as lsp/gomodls.lua (for example
-- ~/.config/nvim/lsp/gomodls.lua, or add editors/nvim to 'runtimepath'),
-- then call vim.lsp.enable('gomodls'). Override any field with
-- vim.lsp.config('gomodls', { ... }).
--
-- gomodls attaches only to Go module files, so it runs beside gopls.
-- vendor/modules.txt has no filetype of its own: gomodls reads it from disk
-- and watches it itself.
return {
  cmd = { 'gomodls' },
  -- gomod: go.mod; gowork: go.work; gosum: go.sum and go.work.sum.
  filetypes = { 'gomod', 'gowork', 'gosum' },
  -- The go.work wins over the go.mod below it: go uses the workspace.
  root_markers = { 'go.work', 'go.mod', '.git' },
}
