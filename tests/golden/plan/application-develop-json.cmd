plan examples/application/pipeline.chain --branch develop --format json
