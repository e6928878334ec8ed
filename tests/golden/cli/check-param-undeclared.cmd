check examples/library/pipeline.chain -p 'pyhtons=["3.11"]'
