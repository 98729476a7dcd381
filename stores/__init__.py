"""Rasa stores for running several instances: an atomic Redis lock store, tracker stores that can forget."""
