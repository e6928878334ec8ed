check tests/golden/cli/does-not-exist.chain
