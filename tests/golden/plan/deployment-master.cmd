plan examples/deployment/pipeline.chain --branch master
