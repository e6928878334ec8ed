plan examples/deployment/pipeline.chain --branch master --format json
