plan examples/application/pipeline.chain --branch master --format json
