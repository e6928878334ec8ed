plan valid/env-and-allow-failure.chain --branch develop --format json
