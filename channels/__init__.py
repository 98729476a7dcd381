"""Rasa input/output channels of our own: hardened or configurable subclasses of Rasa's connectors."""
