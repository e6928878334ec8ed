" Indentation of chain pipelines: two spaces a level of open braces, brackets and parentheses, as
" `chain fmt` lays them out; a stage's clauses on lines of their own go one level in.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1
setlocal indentexpr=ChainIndent(v:lnum) indentkeys+=0},0],0)
let b:undo_indent = 'setlocal indentexpr< indentkeys<'

if exists('*ChainIndent')
  finish
endif

function! s:Opened(line) abort
  " Brackets opened minus closed on a line, outside strings and comments.
  let text = substitute(a:line, '"\(\\.\|[^"\\]\)*"', '""', 'g')
  let text = substitute(text, '#.*$', '', '')
  return len(substitute(text, '[^{[(]', '', 'g')) - len(substitute(text, '[^}\])]', '', 'g'))
endfunction

function! ChainIndent(lnum) abort
  let previous = prevnonblank(a:lnum - 1)
  if previous == 0
    return 0
  endif
  let indent = indent(previous)
  let line = getline(previous)
  let current = getline(a:lnum)
  let opened = s:Opened(line)
  " A line that starts by closing does not count its own closer for the line after it.
  if line =~# '^\s*[}\])]'
    let opened += 1
  endif
  if opened > 0
    let indent += shiftwidth()
  elseif opened < 0
    let indent -= shiftwidth() * -opened
  endif
  if current =~# '^\s*[}\])]'
    let indent -= shiftwidth()
  endif
  " `stage NAME` alone, then its clauses one level in, then `{` back at the stage's column.
  if line =~# '^stage\s\+\S\+\s*$'
    let indent = shiftwidth()
  elseif current =~# '^\s*{\s*$' && indent(previous) > 0 && getline(previous) !~# '[{(\[,]\s*$'
    let indent = 0
  endif
  return max([indent, 0])
endfunction
