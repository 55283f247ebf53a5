"""One module per document template; `samples.content` picks them by name."""
