"""The `knotcare` command: seeding and the triage audit tool, as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str, stdin: str = "", env_db: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "knotcare"), *(("--database-url", env_db) if env_db else ()), *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_seed_then_triage_json_in_json_out(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    seeded = run("db", "seed", env_db=db)
    assert seeded.returncode == 0, seeded.stderr
    assert "triage rules" in seeded.stderr
    result = run("triage", env_db=db, stdin=json.dumps({"body_region": "lower_back",
                                                         "red_flags": ["saddle_numbness"]}))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["level"] == "emergency" and "cauda_equina" in decision["rule_ids"]
    assert decision["message"] and decision["sources"]


def test_triage_takes_a_list_of_cases(tmp_path: Path) -> None:
    cases = [{"body_region": "neck", "pain_quality": "dull_ache", "pain_severity": 4},
             {"body_region": "neck", "conditions": ["pregnancy"]}]
    result = run("triage", env_db=f"sqlite:///{tmp_path / 'kb.db'}", stdin=json.dumps(cases))
    assert [d["level"] for d in json.loads(result.stdout)] == ["self_care", "consult_first"]


def test_triage_refuses_bad_json_kindly(tmp_path: Path) -> None:
    result = run("triage", env_db=f"sqlite:///{tmp_path / 'kb.db'}", stdin="{not json")
    assert result.returncode == 2 and "not JSON" in result.stderr and "Traceback" not in result.stderr


def test_web_serve_refuses_colours_people_could_not_read_with_a_clear_message(monkeypatch) -> None:
    from knotcare.cli import main

    monkeypatch.setenv("KNOTCARE_CLINIC_PRIMARY_COLOR", "#9ad0c2")  # pale: white text on it is unreadable
    assert main(["web", "serve", "--port", "0"]) == 2
    assert main(["web", "config"]) == 2


def test_web_serve_names_the_colour_and_the_ratio(capsys, monkeypatch) -> None:
    from knotcare.cli import main

    monkeypatch.setenv("KNOTCARE_CLINIC_BACKGROUND_COLOR", "#333333")
    main(["web", "config"])
    said = capsys.readouterr().err
    assert "background_color #333333" in said and ":1" in said and "4.5:1" in said and "lighter" in said
