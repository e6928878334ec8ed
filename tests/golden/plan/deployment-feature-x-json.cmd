plan examples/deployment/pipeline.chain --branch feature/x --format json
