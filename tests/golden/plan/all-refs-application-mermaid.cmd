plan --all-refs --format mermaid examples/application/pipeline.chain
