check --format json tests/golden/check/syntax/block-unclosed.chain
