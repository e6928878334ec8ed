check examples/application/pipeline.chain -p 'deploy_root=/srv/acme with spaces'
