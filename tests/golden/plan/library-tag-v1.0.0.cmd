plan examples/library/pipeline.chain --tag v1.0.0
