check examples/library/pipeline.chain examples/application/pipeline.chain examples/deployment/pipeline.chain --werror
