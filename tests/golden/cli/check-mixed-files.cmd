check examples/library/pipeline.chain tests/golden/check/unterminated-string.chain tests/golden/cli/missing.chain
