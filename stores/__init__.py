"""Rasa stores of our own, named by module path in endpoints files."""
