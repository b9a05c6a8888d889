"""Publishing: decisions stored and announced, read back, swept when missing, dead letters and audit."""
