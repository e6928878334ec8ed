#!/usr/bin/env bash
# Neovim, headless, with editor-support/vim on its runtime path and editor-support/nvim/chain-lsp.lua:
# the file type is detected, keywords and strings are highlighted, `chain lsp` attaches and the
# checker's diagnostics come back into the buffer.   nvim_test.sh CHAIN
set -euo pipefail
chain=$(realpath "$1")
repo=$(realpath "$(dirname "$0")/../..")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$chain" "$work/bin/chain" # the snippet starts `chain lsp` from the PATH, as a user's editor would
cat >"$work/pipeline.chain" <<'CHAIN'
pipeline "demo"
stage test when develop {
  test(runner: pytest)
}
stage build needs tset when develop {
  sh(["echo", "built ${version()}"])
}
CHAIN

PATH="$work/bin:$PATH" HOME="$work" nvim --headless --clean -u NONE -i NONE \
  --cmd "set runtimepath^=$repo/editor-support/vim" \
  -c "filetype plugin indent on" -c "syntax on" \
  -c "luafile $repo/editor-support/nvim/chain-lsp.lua" \
  -c "edit $work/pipeline.chain" \
  -c "lua vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 20)" \
  -c "lua local out = io.open('$work/seen', 'w')
out:write('filetype ', vim.bo.filetype, '\n')
local function group(line, col) return vim.fn.synIDattr(vim.fn.synID(line, col, 1), 'name') end
out:write('stage ', group(2, 1), '\n')
out:write('develop ', group(2, 17), '\n')
out:write('string ', group(6, 7), '\n')
out:write('builtin ', group(3, 3), '\n')
for _, d in ipairs(vim.diagnostic.get(0)) do
  out:write(string.format('diagnostic %d:%d %s %s\n', d.lnum + 1, d.col + 1, d.code or '', d.message))
end
out:close()" \
  -c "qa!" >/dev/null 2>&1

seen=$(cat "$work/seen" 2>/dev/null || true)
expected="filetype chain
stage chainDeclaration
develop chainRef
string chainString
builtin chainBuiltin
diagnostic 5:19 E0202 unknown stage 'tset'
did you mean 'test'?"
if [ "$seen" != "$expected" ]; then
  echo "Neovim saw:"
  echo "$seen"
  echo "expected:"
  echo "$expected"
  exit 1
fi
echo "ok: Neovim detects chain, highlights it, and shows chain lsp's diagnostic E0202 at 5:19"
