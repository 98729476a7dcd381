"""A small PNG chart of pain before and after each session (matplotlib, drawn off-screen)."""

from __future__ import annotations

import base64
import io
from typing import Sequence

from knotcare.progress.model import Entry


def chart_png(entries: Sequence[Entry]) -> bytes:
    """Pain 0-10 before and after each session, as PNG bytes (about 10-20 KB)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; imported lazily to keep the action server's start fast
    from matplotlib.figure import Figure

    sessions = [e for e in entries if e.kind == "session" and e.pain_before is not None and e.pain_after is not None]
    figure = Figure(figsize=(4, 2.4), dpi=80)
    axes = figure.subplots()
    xs = list(range(1, len(sessions) + 1))
    axes.plot(xs, [s.pain_before for s in sessions], marker="o", label="before", color="#b5523b")
    axes.plot(xs, [s.pain_after for s in sessions], marker="o", label="after", color="#2f6f8f")
    axes.set_ylim(0, 10)
    axes.set_xticks(xs)
    axes.set_xticklabels([s.started_at.strftime("%d %b") for s in sessions], fontsize=7)
    axes.set_ylabel("pain (0-10)", fontsize=8)
    axes.legend(fontsize=7, loc="upper right")
    axes.set_title("Your pain, session by session", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    """The PNG as a data: URL (shown by the web widget without a file server)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
