run examples/library/pipeline.chain --branch develop --stage tets
