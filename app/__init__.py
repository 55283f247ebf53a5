"""The application layer: the composition root (`app.resources`) and the use cases a front door calls.

A front door (the CLI in `cli/`, the web app next) parses what a person asked, calls one use case
here and shows the answer; no use case is written in a front door, so each is written once.
"""
