" Vim syntax file for chain pipelines (pipeline.chain). It follows the grammar in grammar/rules.hpp and
" the reserved words of the specification, section 2.
if exists('b:current_syntax')
  finish
endif

syn keyword chainDeclaration pipeline kind import let param secret fn stage artifact
syn keyword chainClause needs when matrix in inputs timeout retry manual allow_failure else
syn keyword chainOperator and or not
syn keyword chainBoolean true false
syn keyword chainType str int bool duration percent cond list target record
syn keyword chainKind library application deployment
syn keyword chainBuiltin sh test lint coverage package virtualenv chroot publish deploy trigger file dir
syn keyword chainBuiltin version ref env pypi apt registry local hosts
" Git-flow ref patterns: develop, master, main, and feature/GLOB and its kin; branch "…" and tag "…".
syn keyword chainRef develop master main
syn match chainRef /\<\(feature\|release\|hotfix\|support\)\/[A-Za-z0-9_.*?-]*/
syn match chainRef /\<\(branch\|tag\)\ze\s*"/

syn match chainDuration /\<\d\+\(ms\|s\|m\|h\)\>/
syn match chainPercent /\<\d\+\(\.\d\+\)\=%/
syn match chainNumber /\<\d\+\>/
syn match chainLabel /\<[A-Za-z_][A-Za-z0-9_-]*\ze\s*:[^:]/ contained containedin=chainCallArgs
syn region chainCallArgs start=/(/ end=/)/ transparent contains=TOP

syn match chainEscape /\\[\\"nt$]/ contained
syn region chainInterpolation matchgroup=chainInterpolationDelimiter start=/\${/ end=/}/ contained contains=TOP
syn region chainString start=/"/ skip=/\\"/ end=/"/ contains=chainEscape,chainInterpolation

syn match chainComment /#.*$/ contains=@Spell

hi def link chainDeclaration Keyword
hi def link chainClause Keyword
hi def link chainOperator Operator
hi def link chainBoolean Boolean
hi def link chainType Type
hi def link chainKind Constant
hi def link chainBuiltin Function
hi def link chainRef Constant
hi def link chainDuration Number
hi def link chainPercent Number
hi def link chainNumber Number
hi def link chainLabel Identifier
hi def link chainEscape SpecialChar
hi def link chainInterpolationDelimiter Delimiter
hi def link chainString String
hi def link chainComment Comment

let b:current_syntax = 'chain'
