plan valid/all-builtins.chain --branch develop --approve deploy
