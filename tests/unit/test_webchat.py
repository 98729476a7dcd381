"""The web page's settings: the reviewed file, environment overrides, validation, contrast, the vendored libraries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knotcare.webchat import (
    WIDGET_FILE,
    WidgetConfigError,
    config_js,
    content_security_policy,
    contrast,
    vendor,
    widget_settings,
)


def test_the_reviewed_file_gives_complete_settings() -> None:
    settings = widget_settings(env={})
    assert settings["name"] == "Knotcare" and settings["init_payload"] == "/greet"
    assert settings["primary_color"].startswith("#") and settings["socket_url"] == "http://127.0.0.1:5005"


def test_environment_overrides_win() -> None:
    env = {"KNOTCARE_CLINIC_NAME": "Harbour Physio", "KNOTCARE_CLINIC_PRIMARY_COLOR": "#0d3b66",
           "KNOTCARE_SOCKET_URL": "https://chat.example.org"}
    settings = widget_settings(env=env)
    assert (settings["name"], settings["primary_color"], settings["socket_url"]) == \
        ("Harbour Physio", "#0d3b66", "https://chat.example.org")
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
    settings = widget_settings(env={"KNOTCARE_CLINIC_NAME": "</script><script>alert(1)</script>"})
    script = config_js(settings)
    assert "</script>" not in script and script.startswith("window.KNOTCARE = ")


def test_the_page_gets_the_body_map_from_the_figure() -> None:
    script = config_js(widget_settings(env={}))
    config = json.loads(script[len("window.KNOTCARE = "):].rstrip().rstrip(";"))
    regions = [r["id"] for r in config["body_map"]["regions"]]
    assert regions == ["neck", "shoulders", "upper_back", "mid_back", "lower_back"]
    assert config["body_map"]["svg"].startswith("<svg") and 'data-region="lower_back"' in config["body_map"]["svg"]
    assert config["body_map"]["alt"] and config["body_map"]["elsewhere"] == "Somewhere else"
    assert "emergency number" in config["texts"]["offline"]  # the page says it when Rasa is out of reach


def test_the_contrast_ratio_matches_wcag() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-too-light grey
    assert contrast("#1f6f5c", "#ffffff") >= 4.5  # the default clinic colour


@pytest.mark.parametrize(("variable", "colour", "hint"), [("KNOTCARE_CLINIC_PRIMARY_COLOR", "#7fd1b9", "darker"),
                                                          ("KNOTCARE_CLINIC_BACKGROUND_COLOR", "#404040", "lighter")])
def test_clinic_colours_people_could_not_read_are_refused(variable: str, colour: str, hint: str) -> None:
    with pytest.raises(WidgetConfigError, match=f"4.5:1.*{hint}"):
        widget_settings(env={variable: colour})


def test_vendor_copies_the_libraries_with_their_licences(tmp_path: Path) -> None:
    modules = tmp_path / "node_modules"
    for package, path in (("socket.io-client", "dist/socket.io.min.js"),
                          ("markdown-it", "dist/browser/markdown-it.umd.min.js")):
        (modules / package / path).parent.mkdir(parents=True)
        (modules / package / path).write_text(f"/* {package} */")
        (modules / package / "LICENSE").write_text("MIT")
    vendor(modules, tmp_path / "vendor")
    assert (tmp_path / "vendor" / "socket.io.min.js").read_text() == "/* socket.io-client */"
    assert (tmp_path / "vendor" / "markdown-it.min.js.LICENSE.txt").read_text() == "MIT"
