export --to github tests/golden/export/odd-refs.chain
