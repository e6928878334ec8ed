plan examples/library/pipeline.chain --branch develop --format dot
