plan valid/branch-kinds-as-names.chain --branch release/1.0 --explain
