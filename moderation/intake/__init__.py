"""Intake: what a comment backend submits, validated, cleaned and queued (no scikit-learn here)."""
