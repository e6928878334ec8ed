plan examples/library/pipeline.chain --branch master
