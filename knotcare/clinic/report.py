"""`knotcare report`: what the front desk did, from Rasa's SQL tracker store and the handoff tickets.

Reads the `events` table that Rasa's SQLTrackerStore writes (SQLite or
PostgreSQL) and writes one self-contained HTML file: charts are PNGs embedded
as base64, no scripts, no outside requests. The report is for the clinic's
staff: it lists the texts of messages the assistant could not understand.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import MetaData, Table, create_engine, select

from knotcare.clinic.tickets import TicketRepository, conversation_path
from knotcare.kb import KnowledgeBase

FALLBACK_ACTION = "action_default_fallback"
#: How many not-understood messages the report lists.
UNANSWERED_SHOWN = 30


@dataclass
class ReportData:
    """The numbers in the report."""

    conversations: int = 0
    user_messages: int = 0
    fallback_messages: int = 0
    handed_over: int = 0
    per_day: Dict[str, int] = field(default_factory=dict)
    triage_levels: Dict[str, int] = field(default_factory=dict)
    regions: Dict[str, int] = field(default_factory=dict)
    unanswered: List[Tuple[str, int]] = field(default_factory=list)
    tickets_open: int = 0
    tickets_closed: int = 0
    tickets_by_reason: Dict[str, int] = field(default_factory=dict)

    @property
    def deflection(self) -> float:
        """Share of conversations resolved without a person (no handoff ticket)."""
        return (self.conversations - self.handed_over) / self.conversations if self.conversations else 0.0

    @property
    def fallback_rate(self) -> float:
        """Share of people's messages that ended in the fallback."""
        return self.fallback_messages / self.user_messages if self.user_messages else 0.0


def tracker_url_from_endpoints(path: str = "endpoints.yml") -> str:
    """The SQLAlchemy URL of the tracker store in endpoints.yml (SQL type only)."""
    import yaml
    from sqlalchemy.engine import URL

    from knotcare.config import ROOT

    store = (yaml.safe_load((ROOT / path).read_text()) or {}).get("tracker_store") or {}
    if str(store.get("type", "")).upper() != "SQL":
        raise ValueError(f"{path}: the tracker store is not SQL; pass --tracker-url")
    dialect = store.get("dialect", "sqlite")
    if dialect == "sqlite":
        db = store.get("db", "rasa.db")
        return f"sqlite:///{db if db.startswith('/') else ROOT / db}"
    return URL.create(dialect, store.get("username"), store.get("password"), store.get("url"),
                      store.get("port"), store.get("db")).render_as_string(hide_password=False)


def read_events(tracker_url: str) -> List[Dict[str, Any]]:
    """Every event of the tracker store, in order: sender, type, timestamp, action, and the event's JSON."""
    engine = create_engine(tracker_url, future=True, hide_parameters=True)
    try:
        events = Table("events", MetaData(), autoload_with=engine)
        with engine.connect() as connection:
            rows = connection.execute(
                select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.action_name,
                       events.c.data).order_by(events.c.id)).all()
    finally:
        engine.dispose()
    return [{"sender_id": r[0], "type": r[1], "timestamp": r[2], "action": r[3],
             "data": json.loads(r[4]) if r[4] else {}} for r in rows]


def compute(events: List[Dict[str, Any]], kb: Optional[KnowledgeBase]) -> ReportData:
    """The report's numbers from tracker events and the tickets."""
    data = ReportData()
    tickets = []
    if kb is not None:
        kb.create_schema()
        with kb.unit_of_work() as uow:
            tickets = TicketRepository(uow.session).list()
    ticketed = {ticket.conversation for ticket in tickets}

    senders_with_messages = set()
    day_senders: Dict[str, set] = defaultdict(set)
    last_slot: Dict[Tuple[str, str], Any] = {}
    last_user_text: Dict[str, str] = {}
    unanswered: Counter = Counter()
    for event in events:
        sender = event["sender_id"]
        if event["type"] == "user":
            text = str(event["data"].get("text") or "")
            data.user_messages += 1
            senders_with_messages.add(sender)
            day = dt.datetime.fromtimestamp(float(event["timestamp"]), dt.timezone.utc).date().isoformat()
            day_senders[day].add(sender)
            last_user_text[sender] = text
        elif event["type"] == "action" and event["action"] == FALLBACK_ACTION and sender in last_user_text:
            data.fallback_messages += 1
            unanswered[last_user_text.pop(sender).strip() or "(empty message)"] += 1
        elif event["type"] == "slot" and event["data"].get("name") in ("triage_level", "body_region"):
            last_slot[(sender, event["data"]["name"])] = event["data"].get("value")

    data.conversations = len(senders_with_messages)
    data.handed_over = sum(1 for s in senders_with_messages if conversation_path(s) in ticketed)
    data.per_day = {day: len(senders) for day, senders in sorted(day_senders.items())}
    levels: Counter = Counter()
    regions: Counter = Counter()
    for (sender, name), value in last_slot.items():
        if value and sender in senders_with_messages:
            (levels if name == "triage_level" else regions)[str(value)] += 1
    data.triage_levels = dict(levels.most_common())
    data.regions = dict(regions.most_common())
    data.unanswered = unanswered.most_common(UNANSWERED_SHOWN)
    data.tickets_open = sum(1 for t in tickets if t.status == "open")
    data.tickets_closed = sum(1 for t in tickets if t.status == "closed")
    data.tickets_by_reason = dict(Counter(t.reason for t in tickets).most_common())
    return data


def _chart(title: str, values: Dict[str, int], kind: str = "bar") -> str:
    """A PNG chart as a data: URI ("" when there is nothing to draw)."""
    if not values:
        return ""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 3.2), dpi=100)
    labels, numbers = list(values), list(values.values())
    if kind == "line" and len(labels) > 1:
        axes.plot(labels, numbers, marker="o", color="#2a6f97")
    else:
        axes.bar(labels, numbers, color="#2a6f97")
    axes.set_title(title)
    axes.set_ylim(bottom=0)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _table(rows: List[Tuple[str, Any]], head: Tuple[str, str]) -> str:
    body = "".join(f"<tr><td>{html.escape(str(a))}</td><td>{html.escape(str(b))}</td></tr>" for a, b in rows)
    return f"<table><tr><th>{html.escape(head[0])}</th><th>{html.escape(head[1])}</th></tr>{body}</table>"


def render_html(data: ReportData, title: str, generated: dt.datetime, quote_messages: bool = False) -> str:
    """The self-contained HTML report; what people wrote is quoted only with `quote_messages`."""
    figures = [("Conversations per day", _chart("Conversations per day", data.per_day, "line")),
               ("Deflection", _chart("Resolved without a person", {
                   "without a person": data.conversations - data.handed_over, "handed over": data.handed_over}
                   if data.conversations else {})),
               ("Triage levels", _chart("Triage levels", data.triage_levels)),
               ("Body regions", _chart("Body regions", data.regions))]
    charts = "".join(f'<figure><img alt="{html.escape(name)}" src="{uri}"></figure>' for name, uri in figures if uri)
    summary = [
        ("Conversations", data.conversations),
        ("Resolved without a person (deflection)", f"{data.deflection:.0%} ({data.conversations - data.handed_over}"
                                                   f" of {data.conversations})"),
        ("Handed over to staff", data.handed_over),
        ("People's messages", data.user_messages),
        ("Not understood (fallback rate)", f"{data.fallback_rate:.1%} ({data.fallback_messages} of "
                                           f"{data.user_messages})"),
        ("Tickets open / closed", f"{data.tickets_open} / {data.tickets_closed}"),
    ]
    if not data.unanswered:
        unanswered = "<p>None.</p>"
    elif quote_messages:
        unanswered = _table(data.unanswered, ("Message", "Times"))
    else:
        count = sum(times for _, times in data.unanswered)
        unanswered = (f"<p>{count} messages ({len(data.unanswered)} different). What people wrote is left out: "
                      "run <code>knotcare report --quote-messages</code> to list it.</p>")
    audience = "For clinic staff only: it quotes messages people sent." if quote_messages else \
        "Counts only: no message people sent is quoted."
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}
figure{{margin:1rem 0}}img{{max-width:100%}}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Generated {generated.strftime('%Y-%m-%d %H:%M %Z')}. {audience}</p>
<h2>Summary</h2>{_table(summary, ("What", "Value"))}
{charts}
<h2>Conversations per day</h2>{_table(list(data.per_day.items()), ("Day (UTC)", "Conversations"))}
<h2>Triage levels</h2>{_table(list(data.triage_levels.items()), ("Level", "Conversations"))}
<h2>Body regions</h2>{_table(list(data.regions.items()), ("Region", "Conversations"))}
<h2>Handoff tickets by reason</h2>{_table(list(data.tickets_by_reason.items()), ("Reason", "Tickets"))}
<h2>Questions it could not answer</h2>{unanswered}
</body></html>
"""
