plan examples/application/image.chain --tag v1.3.0 --approve production -p registry_url=registry.acme.test:5000/acme
