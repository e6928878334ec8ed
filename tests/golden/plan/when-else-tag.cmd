plan valid/when-else.chain --tag v2.0.0
