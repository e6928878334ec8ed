plan examples/library/pipeline.chain --branch develop -p 'pythons=["3.11","3.12"]'
