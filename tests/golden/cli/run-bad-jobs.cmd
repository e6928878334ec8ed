run examples/library/pipeline.chain --branch develop -j 0
