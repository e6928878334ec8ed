plan examples/deployment/pipeline.chain --branch hotfix/1.2.4 --format json
