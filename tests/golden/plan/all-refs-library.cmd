plan --all-refs examples/library/pipeline.chain
