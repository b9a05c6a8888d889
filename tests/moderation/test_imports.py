"""A comment backend installs only the client: its modules never import numpy, scikit-learn, scipy or Celery."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import repo_root

CLIENT_MODULES = ("moderation.intake.client", "moderation.intake.wire", "moderation.intake.schemas",
                  "moderation.settings", "moderation.publishing.decision_reader", "moderation.models.bundle",
                  "moderation.models.current", "moderation.ops.health")
HEAVY = ("numpy", "sklearn", "scipy", "celery")


def test_client_side_modules_import_no_heavy_library() -> None:
    # Given a fresh interpreter / When the client-side modules are imported
    code = (f"import sys, json; [__import__(m) for m in {list(CLIENT_MODULES)!r}]; "
            f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    run = subprocess.run([sys.executable, "-c", code], cwd=repo_root(), capture_output=True, text=True, timeout=60)
    # Then none of the worker's libraries was loaded
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []
