"""Every vignette file loads: known levels and screens, unique ids (a misspelt screen would be answered "no")."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.vignettes import load_vignettes
from knotcare.config import ROOT

FILES = sorted((ROOT / "tests" / "triage").glob("vignettes*.yml"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_vignette_file_loads(path: Path) -> None:
    assert load_vignettes(path)


def test_an_unknown_screen_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.yml"
    path.write_text("vignettes:\n  - id: a\n    gold: urgent\n    messages: [hi]\n    screen_yes: [screen_systemic]\n")
    with pytest.raises(ValueError, match="unknown screen"):
        load_vignettes(path)
