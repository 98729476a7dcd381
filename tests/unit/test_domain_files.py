"""The domain files made from the reviewed content are what `knotcare domain write` would write now."""

from __future__ import annotations

import yaml

from knotcare.domain_files import SAFETY_NET_FILE, SAFETY_NET_LEVELS, safety_net_domain
from knotcare.kb.seed import words


def test_the_safety_nets_answers_are_the_reviewed_messages() -> None:
    """Change a `safety_net_*` message in data/kb/messages.yml without `knotcare domain write`, and this fails."""
    written = SAFETY_NET_FILE.read_text(encoding="utf-8")
    assert yaml.safe_load(written) == yaml.safe_load(safety_net_domain(words())), "run: knotcare domain write"
    assert written == safety_net_domain(words()), "run: knotcare domain write"


def test_every_level_has_an_answer_and_the_serious_ones_one_for_someone_else() -> None:
    responses = yaml.safe_load(SAFETY_NET_FILE.read_text(encoding="utf-8"))["responses"]
    assert set(responses) == {f"utter_safety_net_{level}" for level in SAFETY_NET_LEVELS}
    for level in ("emergency", "urgent", "see_clinician"):
        variants = responses[f"utter_safety_net_{level}"]
        assert [v.get("condition") for v in variants][0] == [{"type": "slot", "name": "subject", "value": "other"}]
        assert "them" in variants[0]["text"] and "them" not in variants[1]["text"].replace("themselves", "")
