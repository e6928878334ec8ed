plan examples/library/pipeline.chain
