check --format yaml examples/library/pipeline.chain
