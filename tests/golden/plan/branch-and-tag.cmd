plan examples/library/pipeline.chain --branch develop --tag v1
