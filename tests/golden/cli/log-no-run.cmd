log examples/library/pipeline.chain
