plan valid/trigger-ref.chain --branch develop -p "downstream_ref=--upload-pack=/tmp/x"
