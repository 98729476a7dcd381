"""Rasa input/output channels of our own: hardened or configurable subclasses of Rasa's connectors, and the
staff Slack channel (credentials.yml names them by module path)."""
