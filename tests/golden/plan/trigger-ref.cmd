plan valid/trigger-ref.chain --branch develop
