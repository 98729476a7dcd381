"""The follow-up safety rules, the summary and the chart."""

from __future__ import annotations

import datetime as dt

import pytest

from knotcare.kb.seed import said
from knotcare.progress import Entry, PlanRecord, assess_check_in, summary
from knotcare.progress.chart import chart_png, data_url
from knotcare.triage import decide
from knotcare.triage.engine import Facts

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.timezone.utc)


def ago(**kwargs) -> dt.datetime:
    return NOW - dt.timedelta(**kwargs)


@pytest.mark.parametrize("answer, last, first, flags", [
    ("worse", ago(hours=50), ago(days=3), ("worse_after_self_care",)),
    ("worse", ago(hours=20), ago(days=3), ()),           # soreness for 24-48 h is normal
    ("same", ago(days=1), ago(days=22), ("no_improvement",)),
    ("same", ago(days=1), ago(days=10), ()),
    ("worse", ago(days=3), ago(days=25), ("worse_after_self_care", "no_improvement")),
    ("better", ago(days=3), ago(days=40), ()),
])
def test_check_in_rules(answer: str, last, first, flags) -> None:
    assert assess_check_in(answer, NOW, last, first).red_flags == flags


def test_follow_up_flags_lead_the_triage_rules_to_a_clinician(content) -> None:
    for flag in ("worse_after_self_care", "no_improvement"):
        decision = decide(Facts(region="neck", pain_quality="dull_ache", duration_days=30, severity=4,
                                red_flags=frozenset({flag})), content.rules)
        assert decision.level == "see_clinician" and flag in decision.rule_ids


def test_summary_and_chart() -> None:
    plans = [PlanRecord("p", "neck_side", "self_care", ago(days=6))]
    assert "no sessions" in summary(plans, [], NOW, said)
    entries = [Entry("p", "session", ago(days=5), "neck_side", ago(days=5), 6, 4),
               Entry("p", "check_in", ago(days=3), "neck_side", notes="better"),
               Entry("p", "session", ago(days=1), "neck_side", ago(days=1), 4, 2)]
    text = summary(plans, entries, NOW, said)
    assert text.startswith("2 sessions") and "5.0 before to 3.0/10 after" in text and "lower" in text
    png = chart_png(entries)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 60_000
    assert data_url(png).startswith("data:image/png;base64,")
