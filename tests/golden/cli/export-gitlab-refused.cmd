export --to gitlab tests/golden/export/odd-refs.chain
