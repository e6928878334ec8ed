plan examples/application/pipeline.chain --branch release/1.4
