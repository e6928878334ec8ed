plan examples/library/pipeline.chain --branch feature/x
