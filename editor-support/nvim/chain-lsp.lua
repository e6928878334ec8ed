-- Neovim (0.7 or later): highlighting from editor-support/vim, and `chain lsp` for diagnostics, hover,
-- completion, go to definition, symbols and formatting. Put editor-support/vim on 'runtimepath' and
-- source this file from init.lua (see editor-support/README.md).
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'chain',
  callback = function(args)
    local root = vim.fs and vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)) or vim.fn.getcwd()
    local client = vim.lsp.start_client({
      name = 'chain',
      cmd = { 'chain', 'lsp' },
      root_dir = root,
    })
    if client then
      vim.lsp.buf_attach_client(args.buf, client)
    end
  end,
})
