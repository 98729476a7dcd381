"""Pseudonymous ids: stable, keyed, and not the sender id."""

from __future__ import annotations

from knotcare import privacy


def test_person_id_is_stable_keyed_and_not_the_sender(monkeypatch) -> None:
    monkeypatch.setenv(privacy.KEY_ENV, "one")
    privacy._key.cache_clear()
    first = privacy.person_id("telegram:12345")
    assert first == privacy.person_id("telegram:12345")
    assert "12345" not in first and len(first) == 32
    monkeypatch.setenv(privacy.KEY_ENV, "two")
    privacy._key.cache_clear()
    assert privacy.person_id("telegram:12345") != first
    privacy._key.cache_clear()


def test_every_personal_table_has_a_person_id_column() -> None:
    for table in privacy.personal_tables():
        assert "person_id" in table.c, table.name
