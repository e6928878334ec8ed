plan examples/library/pipeline.chain --branch release/1.4 --format json
