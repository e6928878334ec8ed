export --to gitlab examples/application/pipeline.chain
