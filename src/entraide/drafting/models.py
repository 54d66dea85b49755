"""Outgoing requests: guided composer, checks against the treaty and the requested state, review, the document."""
