fmt --check tests/golden/fmt/tidy.chain
