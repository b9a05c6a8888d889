"""The training side's names for bundles: the format, saving and loading live in :mod:`moderation.models.bundle`.

Kept so training code reads ``from training.bundle import save_bundle``; nothing is defined here.
"""

from moderation.models.bundle import (
    BUNDLE_FORMAT,
    METADATA_FILE,
    MODEL_FILE,
    BundleError,
    BundleInfo,
    bundle_info,
    library_versions,
    load_bundle,
    load_state,
    read_metadata,
    save_bundle,
    sha256_file,
    write_metadata,
)

__all__ = [
    "BUNDLE_FORMAT",
    "METADATA_FILE",
    "MODEL_FILE",
    "BundleError",
    "BundleInfo",
    "bundle_info",
    "library_versions",
    "load_bundle",
    "load_state",
    "read_metadata",
    "save_bundle",
    "sha256_file",
    "write_metadata",
]
