export --to github examples/library/pipeline.chain
