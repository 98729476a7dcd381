"""Rasa NLU graph components: thin adapters over `knotcare.nlp`."""
