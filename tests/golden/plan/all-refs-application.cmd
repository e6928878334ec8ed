plan --all-refs examples/application/pipeline.chain
