plan --all-refs --format dot examples/library/pipeline.chain
