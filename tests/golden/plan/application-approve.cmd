plan examples/application/pipeline.chain --branch master --approve production
