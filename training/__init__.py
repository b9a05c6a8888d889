"""Datasets, training, evaluation and the model registry. Needs the ``worker`` extra (scikit-learn)."""
