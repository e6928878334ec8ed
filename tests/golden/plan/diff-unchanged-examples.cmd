plan --diff HEAD~2 --exit-code examples/application/pipeline.chain
