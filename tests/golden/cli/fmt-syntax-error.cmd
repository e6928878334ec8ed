fmt --check tests/golden/check/syntax/and-without-operand.chain
