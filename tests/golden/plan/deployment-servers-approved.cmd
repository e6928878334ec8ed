plan examples/deployment/pipeline.chain --tag v1.0.1 --approve servers
