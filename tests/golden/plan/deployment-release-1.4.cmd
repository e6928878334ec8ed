plan examples/deployment/pipeline.chain --branch release/1.4
