plan examples/application/pipeline.chain --branch master
