"""The controls typed at the head of a message (knotcare.nlp.controls)."""

from __future__ import annotations

from typing import Optional

import pytest

from knotcare.nlp.controls import next_callers_message


@pytest.mark.parametrize("text, story", [
    ("new caller: woman 31 weeks pregnant, sore knot", "woman 31 weeks pregnant, sore knot"),
    ("ok next caller - lady with a sore back", "lady with a sore back"),
    ("New caller. Man, 45, neck", "Man, 45, neck"),
    ("next caller is a man of 60 with a stiff neck", "caller is a man of 60 with a stiff neck"),
    # the control alone, or with its own tail
    ("new caller", None), ("new caller please", None), ("new patient on the line", None),
    # not the control
    ("a new caller has back pain", None), ("my new patient has a knot", None),
    ("new patient - what should I bring to the first appointment?", None),
    ("next patient: 58M, low back pain 3/52", "58M, low back pain 3/52"),
])
def test_the_next_callers_story_is_split_from_the_control(text: str, story: Optional[str]) -> None:
    assert next_callers_message(text) == story
