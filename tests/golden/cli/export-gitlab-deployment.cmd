export --to gitlab examples/deployment/pipeline.chain
