check examples/library/pipeline.chain tests/golden/check/several-errors.chain --format json
