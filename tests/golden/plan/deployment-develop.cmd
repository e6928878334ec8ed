plan examples/deployment/pipeline.chain --branch develop
