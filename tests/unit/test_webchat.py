"""The web page's settings: the reviewed file, environment overrides, validation, the vendored bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from knotcare.webchat import (
    WIDGET_FILE,
    WidgetConfigError,
    config_js,
    content_security_policy,
    vendor_bundle,
    widget_settings,
)


def test_the_reviewed_file_gives_complete_settings() -> None:
    settings = widget_settings(env={})
    assert settings["name"] == "Knotcare" and settings["init_payload"] == "/greet"
    assert settings["primary_color"].startswith("#") and settings["socket_url"] == "http://127.0.0.1:5005"


def test_environment_overrides_win() -> None:
    env = {"KNOTCARE_CLINIC_NAME": "Harbour Physio", "KNOTCARE_CLINIC_PRIMARY_COLOR": "#123abc",
           "KNOTCARE_SOCKET_URL": "https://chat.example.org"}
    settings = widget_settings(env=env)
    assert (settings["name"], settings["primary_color"], settings["socket_url"]) == \
        ("Harbour Physio", "#123abc", "https://chat.example.org")
    assert "wss://chat.example.org" in content_security_policy(settings["socket_url"])


@pytest.mark.parametrize("env", [{"KNOTCARE_CLINIC_PRIMARY_COLOR": "red; background:url(x)"},
                                 {"KNOTCARE_SOCKET_URL": "javascript:alert(1)"}])
def test_malformed_values_are_refused(env) -> None:
    with pytest.raises(WidgetConfigError):
        widget_settings(env=env)


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "widget.yml"
    path.write_text("name: X\n")
    with pytest.raises(WidgetConfigError, match="primary_color"):
        widget_settings(path, env={})
    assert WIDGET_FILE.exists()


def test_config_js_cannot_close_a_script_element() -> None:
    script = config_js({"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in script and script.startswith("window.KNOTCARE = ")


def test_vendor_bundle_strips_outside_fonts(tmp_path: Path) -> None:
    source = tmp_path / "index.js"
    source.write_text('a("@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);")')
    assert vendor_bundle(source, tmp_path / "out" / "webchat.js") == 1
    assert "googleapis" not in (tmp_path / "out" / "webchat.js").read_text()
