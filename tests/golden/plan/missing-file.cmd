plan examples/nope.chain --branch develop
