export --to github tests/golden/check/valid/env-and-allow-failure.chain
