plan examples/application/pipeline.chain --tag v1.0.0
