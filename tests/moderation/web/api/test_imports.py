"""The HTTP API and the webhook deliverer stay Redis clients like the backends: neither loads Celery or the model
code."""

from __future__ import annotations

import subprocess
import sys


def test_serving_the_api_and_delivering_webhooks_load_neither_celery_nor_scikit_learn() -> None:
    # When the API's application, the deliverer and their commands are imported in a fresh interpreter
    code = ("import sys, moderation.cli.main, moderation.web.api.app, moderation.web.api.cli, "
            "moderation.publishing.webhook_delivery, moderation.cli.webhooks; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'celery', 'kombu', 'sklearn', 'workers'}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    # Then none of the worker's machinery came with them
    assert loaded == "[]"
