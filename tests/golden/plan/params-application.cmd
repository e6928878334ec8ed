plan --params --branch release/1.4 -p deploy_root=/srv examples/application/pipeline.chain
