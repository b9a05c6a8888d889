"""Judging: a batch of comments scored by the model and the rules, and turned into decisions by the policy."""
