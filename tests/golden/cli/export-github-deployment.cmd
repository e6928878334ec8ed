export --to github examples/deployment/pipeline.chain
