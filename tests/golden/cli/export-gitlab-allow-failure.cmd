export --to gitlab tests/golden/check/valid/env-and-allow-failure.chain
