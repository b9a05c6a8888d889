"""The model's state for the console: the promoted version and its history, its evaluation figures and plots,
the recent decision mix per hour (drawn as an SVG chart), and the deployment's health.

Read-only: promotion and rollback stay with ``make promote`` / ``make rollback``. The current model is resolved
as the workers resolve it (:meth:`moderation.models.current.ModelStore.pointer`); it also reads the hash and
history the registry writes (``keys.model_current_key``: who promoted and when; ``keys.model_history_key``),
the bundle's ``metadata.json`` (in the models directory, or the shipped default's), ``reports/evaluation.json``
and ``reports/plots/*.png`` written by ``make evaluate``, the decision stream, and
:func:`moderation.ops.health.check`.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis import Redis

from moderation import keys
from moderation.models.bundle import METADATA_FILE
from moderation.models.current import SOURCE_DEFAULT, SOURCE_REDIS, ModelStore
from moderation.ops.health import HealthReport, check
from moderation.records import OUTCOMES

#: Plot file names ``make evaluate`` writes (``<head>_<kind>.png``): nothing else is served.
PLOT_NAME = re.compile(r"^[a-z_]{1,40}_(roc|pr|hist)\.png$")
#: At most this many stream entries are counted for the hourly chart.
MIX_ENTRIES = 100_000
METRIC_NAMES = ("roc_auc", "average_precision", "precision", "recall", "f1", "n", "positives")


@dataclass
class Bar:
    """One stacked part of the hourly chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    outcome: str
    count: int
    hour: str


@dataclass
class DecisionMix:
    """Decisions per hour and outcome over the last hours, and the chart's geometry."""

    hours: list[str]
    counts: dict[str, list[int]]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    peak: int = 0
    width: int = 720
    height: int = 220

    @property
    def totals(self) -> dict[str, int]:
        """Decisions per outcome over the whole period."""
        return {o: sum(c) for o, c in self.counts.items()}


@dataclass
class ModelState:
    """What the model page shows."""

    version: str | None
    promoted_at: str = ""
    promoted_by: str = ""
    history: list[str] = field(default_factory=list)
    created_at: str = ""
    heads: list[str] = field(default_factory=list)
    examples: int | None = None
    cv_metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    evaluation: dict[str, dict[str, Any]] = field(default_factory=dict)
    evaluation_model: str = ""
    plots: list[str] = field(default_factory=list)
    #: Where the current model comes from: ``redis`` (promoted), ``file`` (models/CURRENT), ``default`` (shipped).
    source: str = ""


def _when(seconds: Any) -> str:
    try:
        return datetime.fromtimestamp(float(seconds), UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (TypeError, ValueError, OverflowError):
        return str(seconds or "")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def model_state(redis: Redis, store: ModelStore, reports_dir: Path) -> ModelState:
    """The current model (resolved as the workers resolve it), its metadata and the latest evaluation report
    and plots. Nothing is fetched or written: a bundle not on this machine shows without its metadata.

    :param redis: the connection (``decode_responses=True``).
    :param store: the deployment's model store (Redis pointer, models directory, shipped default).
    :param reports_dir: where ``make evaluate`` writes ``evaluation.json`` and ``plots/``.
    """
    pointer = store.pointer()
    current: Any = redis.hgetall(keys.model_current_key(store.prefix))
    history: Any = redis.lrange(keys.model_history_key(store.prefix), 0, -1)
    version = pointer.version if pointer else None
    promoted = bool(current) and pointer is not None and pointer.source == SOURCE_REDIS
    state = ModelState(version=version, promoted_at=_when(current.get("promoted_at")) if promoted else "",
                       promoted_by=current.get("promoted_by", "") if promoted else "",
                       history=list(reversed(history)), source=pointer.source if pointer else "")
    if version and re.match(r"^[\w.\-]{1,128}$", version):
        local = store.models_dir / version
        if pointer is not None and pointer.source == SOURCE_DEFAULT and store.default_model is not None:
            local = store.default_model
        metadata = _read_json(local / METADATA_FILE)
        state.created_at = str(metadata.get("created_at", ""))
        state.heads = [str(h) for h in metadata.get("heads", [])]
        state.examples = (metadata.get("data") or {}).get("examples")
        state.cv_metrics = {str(h): dict(m) for h, m in (metadata.get("cv_metrics") or {}).items()
                            if isinstance(m, dict)}
    report = _read_json(reports_dir / "evaluation.json")
    if isinstance(report.get("heads"), dict):
        state.evaluation = {str(h): m for h, m in report["heads"].items() if isinstance(m, dict)}
        state.evaluation_model = str(report.get("model", ""))
    plots = reports_dir / "plots"
    if plots.is_dir():
        state.plots = sorted(p.name for p in plots.iterdir() if PLOT_NAME.match(p.name))
    return state


def decision_mix(redis: Redis, prefix: str, *, hours: int = 24, now: float | None = None) -> DecisionMix:
    """Decisions published per hour and outcome over the last ``hours`` (from the decision stream's entry ids,
    which are their times), with the stacked bars of the chart laid out.

    :param redis: the connection (``decode_responses=True``).
    :param prefix: the key prefix.
    :param hours: how many hours back, the current one included.
    :param now: the time (seconds since the epoch; now by default).
    """
    now = time.time() if now is None else now
    first_hour = int(now // 3600) - hours + 1
    counts: dict[str, list[int]] = {o: [0] * hours for o in OUTCOMES}
    start, read = f"{first_hour * 3600 * 1000}", 0
    stream = keys.decisions_stream(prefix)
    while read < MIX_ENTRIES:
        entries: Any = redis.xrange(stream, min=start, max="+", count=5000)
        for entry_id, fields in entries:
            slot = int(entry_id.split("-", 1)[0]) // 3_600_000 - first_hour
            outcome = fields.get("decision")
            if 0 <= slot < hours and outcome in counts:
                counts[outcome][slot] += 1
        read += len(entries)
        if len(entries) < 5000:
            break
        start = f"({entries[-1][0]}"
    labels = [datetime.fromtimestamp((first_hour + i) * 3600, UTC).strftime("%H:00") for i in range(hours)]
    mix = DecisionMix(labels, counts)
    _lay_out(mix)
    return mix


def _lay_out(mix: DecisionMix, left: float = 40, bottom: float = 24, top: float = 10) -> None:
    n = len(mix.hours)
    mix.peak = max([sum(mix.counts[o][i] for o in OUTCOMES) for i in range(n)] + [0])
    scale_to = max(mix.peak, 1)
    plot_h = mix.height - bottom - top
    step = (mix.width - left - 8) / max(n, 1)
    for i, hour in enumerate(mix.hours):
        y = mix.height - bottom
        for outcome in OUTCOMES:
            count = mix.counts[outcome][i]
            if not count:
                continue
            h = plot_h * count / scale_to
            y -= h
            mix.bars.append(Bar(round(left + i * step + 1, 1), round(y, 1), round(step - 2, 1), round(h, 1),
                                outcome, count, hour))
    for fraction in (0.0, 0.5, 1.0):
        mix.ticks.append((round(mix.height - bottom - plot_h * fraction, 1), str(round(scale_to * fraction))))


def health(redis: Redis, *, store: ModelStore, queue: str, bulk_queue: str) -> HealthReport:
    """The deployment's health as ``moderation health`` reports it (queue depths, workers, model)."""
    return check(redis, store=store, queue=queue, bulk_queue=bulk_queue, max_queue=1000)
