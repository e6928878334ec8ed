plan valid/bool-param-in-condition.chain --branch feature/x -p nightly=true --explain
