plan --all-refs --format json examples/library/pipeline.chain
