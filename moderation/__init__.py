"""Self-hosted moderation for comment systems.

The :mod:`moderation` package is the core library a comment backend imports to submit comments and read
decisions. It never imports Celery, and importing the client never imports scikit-learn.
"""

__version__ = "0.1.0"
