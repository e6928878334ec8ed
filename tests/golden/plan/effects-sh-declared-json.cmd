plan valid/effects-restricted.chain --branch feature/x -p announce=true --format json
