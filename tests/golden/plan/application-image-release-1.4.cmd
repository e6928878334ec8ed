plan examples/application/image.chain --branch release/1.4
