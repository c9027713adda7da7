"""Custom Rasa input/output channels (the socket channel for the web widget lives here)."""
