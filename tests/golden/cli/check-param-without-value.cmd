check examples/library/pipeline.chain -p pythons
