export --to gitlab examples/library/pipeline.chain
