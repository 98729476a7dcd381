"""Second-language and regional English, long pasted notes and care records: the forms the blind "voices" set
(tests/nlu/blind_voices) showed missing, each pinned in general form (not its wording) with a near miss beside it."""

from __future__ import annotations

import pytest

from tests.unit.reading import affirmed


@pytest.mark.parametrize("text, region", [
    ("a dull ache in the upper part of my back since this afternoon", "upper_back"),
    ("the top part of my back is tight", "upper_back"),
])
def test_a_part_of_the_back_named_before_it(text: str, region: str) -> None:
    assert affirmed(text, "body_region") == {region}
