"""Custom Rasa input channels (credentials.yml names them by module path)."""
