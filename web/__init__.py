"""The staff web app and REST API: a thin front door over the use cases of `app/`."""
