plan examples/application/pipeline.chain --branch feature/x
