plan --params examples/library/pipeline.chain
