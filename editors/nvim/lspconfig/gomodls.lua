-- gomodls as an nvim-lspconfig server configuration (the shape of the files
-- in nvim-lspconfig's lua/lspconfig/configs/), for setups before Neovim
-- 0.11's vim.lsp.config.
--
-- Register it once, then set it up like any other server:
--
--   local configs = require('lspconfig.configs')
--   if not configs.gomodls then
--     configs.gomodls = dofile('/path/to/gomodls/editors/nvim/lspconfig/gomodls.lua')
--   end
--   require('lspconfig').gomodls.setup({})
local util = require('lspconfig.util')

return {
  default_config = {
    cmd = { 'gomodls' },
    filetypes = { 'gomod', 'gowork', 'gosum' },
    -- The go.work wins over a go.mod nearer the file: go uses the workspace.
    root_dir = function(fname)
      return util.root_pattern('go.work')(fname) or util.root_pattern('go.mod', '.git')(fname)
    end,
    single_file_support = true,
  },
  docs = {
    description = [[
https://github.com/gomodls/gomodls

A language server for Go module files: go.mod, go.work, go.sum, go.work.sum
and vendor/modules.txt. It reports, on the line to edit, what the go command
will fail on later, with quick fixes and a `source.fixAll.gomodls` action.
It attaches only to module files and runs beside gopls.

`gomodls` can be installed from a checkout of its repository with
`go install ./cmd/gomodls` (`go install
github.com/gomodls/gomodls/cmd/gomodls@latest` once the module is published).
]],
    default_config = {
      root_dir = [[root_pattern("go.work") or root_pattern("go.mod", ".git")]],
    },
  },
}
