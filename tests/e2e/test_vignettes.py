"""Clinical vignettes through the whole assistant: no emergency or urgent case under-triaged, 90% exact.

The same runner as benchmarks/triage_vignettes.py (which prints the figures for
the README); here each emergency and urgent vignette is its own test case, so
CI names any under-triaged one.
"""

from __future__ import annotations

from typing import Dict

import pytest

from harness.vignettes import SERIOUS, Assistant, Outcome, hold_all, load_vignettes, summarise
from tests.e2e.conftest import ROOT, Servers, held_in_tests

pytestmark = pytest.mark.e2e

#: The first set, and the set written blind on 2026-11-22 (from the clinical facts only; its first run found
#: four under-triaged cases, since fixed). Ids are unique across both.
VIGNETTES = [v for name in ("vignettes.yml", "vignettes_blind.yml")
             for v in load_vignettes(ROOT / "tests" / "triage" / name)]


@pytest.fixture(scope="module")
def outcomes(servers: Servers) -> Dict[str, Outcome]:
    """Every serious vignette and a third of the others held once against the running stack, four at a time."""
    return hold_all(Assistant(servers.rasa_url, servers.token),
                    held_in_tests(VIGNETTES, lambda vignette: vignette.gold in SERIOUS), prefix="vig")


def test_there_are_enough_vignettes_at_every_level() -> None:
    assert len(VIGNETTES) >= 150 and len({v.id for v in VIGNETTES}) == len(VIGNETTES)
    for level in ("emergency", "urgent", "see_clinician", "consult_first", "self_care"):
        assert sum(v.gold == level for v in VIGNETTES) >= 8, level


@pytest.mark.parametrize("vignette_id", [v.id for v in VIGNETTES if v.gold in ("emergency", "urgent")])
def test_no_emergency_or_urgent_vignette_is_under_triaged(outcomes: Dict[str, Outcome], vignette_id: str) -> None:
    outcome = outcomes[vignette_id]
    assert not outcome.under_triaged, "\n".join([f"got {outcome.level}, gold {outcome.vignette.gold}"]
                                                + outcome.transcript)


def test_at_least_90_percent_are_at_exactly_the_right_level(outcomes: Dict[str, Outcome]) -> None:
    summary = summarise(list(outcomes.values()))
    misses = [f"{o.vignette.id}: gold {o.vignette.gold}, got {o.level}" for o in outcomes.values() if not o.exact]
    assert summary.exact_rate >= 0.90, "\n".join(misses)


def test_every_vignette_reaches_a_decision(outcomes: Dict[str, Outcome]) -> None:
    stuck = [f"{o.vignette.id}: {o.error}" for o in outcomes.values() if o.error]
    assert not stuck, "\n".join(stuck)
