plan --all-refs examples/deployment/pipeline.chain
