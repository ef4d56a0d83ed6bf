-- Filetypes for Go module files that older Neovims do not know.
--
-- Neovim 0.9+ detects go.sum and go.work.sum as "gosum" by itself. Before
-- that, *.sum is "hercules" and gomodls would not attach. Neovim 0.8 uses
-- vim.filetype.add's table; 0.7 only when vim.g.do_filetype_lua is set, so
-- there an autocommand (defined after filetype.vim's, so it runs last)
-- sets the filetype as well.
if vim.g.loaded_gomodls_filetypes then
  return
end
vim.g.loaded_gomodls_filetypes = true

vim.filetype.add({
  filename = {
    ['go.mod'] = 'gomod',
    ['go.work'] = 'gowork',
    ['go.sum'] = 'gosum',
    ['go.work.sum'] = 'gosum',
  },
})

if vim.fn.has('nvim-0.8') == 0 then
  vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
    group = vim.api.nvim_create_augroup('gomodls_filetypes', { clear = true }),
    pattern = { 'go.sum', 'go.work.sum' },
    command = 'set filetype=gosum',
  })
end
