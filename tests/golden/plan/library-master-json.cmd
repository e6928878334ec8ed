plan examples/library/pipeline.chain --branch master --format json
