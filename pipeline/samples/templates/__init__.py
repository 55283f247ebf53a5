"""One module per document template; `pipeline.samples.content` picks them by name."""
