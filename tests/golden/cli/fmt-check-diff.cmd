fmt --check tests/golden/fmt/messy.chain
