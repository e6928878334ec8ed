export --to github examples/application/pipeline.chain
