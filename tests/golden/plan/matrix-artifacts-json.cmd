plan valid/matrix-artifacts.chain --branch develop -p 'pythons=["3.11","3.12","3.13"]' --format json
