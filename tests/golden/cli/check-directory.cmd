check tests/golden/cli
