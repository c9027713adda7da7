"""Custom Rasa input/output channels (the socket channel for the web widget lives here).

Every Rasa process of ours loads this package (credentials.yml names our channels), so it also
installs our fixes to Rasa itself (speedups.py)."""
from . import speedups

speedups.install()
