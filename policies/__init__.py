"""Custom Rasa dialogue policies (loaded by config.yml)."""
