"""The action server's code: one module per flow, and clients for the systems it talks to."""
