"""Models: the bundle format, its signature, and which model is current."""
