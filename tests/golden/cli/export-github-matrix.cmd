export --to github examples/library/pipeline.chain -p 'pythons=["3.11","3.12"]'
