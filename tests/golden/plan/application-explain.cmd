plan examples/application/pipeline.chain --branch release/2.0 --explain
