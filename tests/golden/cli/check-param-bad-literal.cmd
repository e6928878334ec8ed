check examples/library/pipeline.chain -p 'pythons=["3.11",'
