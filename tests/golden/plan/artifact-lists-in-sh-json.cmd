plan valid/artifact-lists-in-sh.chain --branch develop --format json
