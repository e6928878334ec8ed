plan examples/library/pipeline.chain --branch develop --approve biuld
