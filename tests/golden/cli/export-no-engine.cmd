export examples/library/pipeline.chain
