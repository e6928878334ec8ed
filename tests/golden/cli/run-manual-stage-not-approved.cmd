run examples/application/pipeline.chain --branch master --stage production
