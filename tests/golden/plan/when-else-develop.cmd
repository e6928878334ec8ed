plan valid/when-else.chain --branch develop
