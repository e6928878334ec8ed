" chain: comments start with #, blocks are indented by two spaces (what `chain fmt` writes).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=#\ %s comments=:#
setlocal expandtab shiftwidth=2 softtabstop=2
" `gq` and `=` on the whole file: the canonical layout.
setlocal formatprg=chain\ fmt\ -
let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< formatprg<'
