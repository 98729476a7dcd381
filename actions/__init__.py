"""Rasa custom actions: thin adapters between the conversation and `knotcare`'s domain logic."""
