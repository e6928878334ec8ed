plan valid/fn-with-artifacts.chain --branch feature/x
