"""The pictures: one figure file, drawn the same way as SVG and PNG, with a text alternative for each."""

from __future__ import annotations

import copy
import io

import pytest
import yaml

from knotcare.kb.seed import load_content
from knotcare.pictures import figure as body
from knotcare.pictures.catalogue import picture
from knotcare.pictures.drawing import body_map
from knotcare.pictures.png import to_png
from knotcare.pictures.svg import to_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_every_routine_has_a_picture_and_every_spot_it_marks_exists() -> None:
    figure = body.load()
    routines = {routine.id for routine in load_content().routines}
    assert set(figure.routines) == routines
    for routine_id in routines:
        drawn = picture(f"routine/{routine_id}")
        assert drawn is not None and drawn.alt.startswith("A back view of the body for this routine")


def test_the_alt_text_names_where_pain_is_felt_from_the_referrals() -> None:
    drawn = picture("routine/shoulders_top")
    assert drawn is not None
    assert "temple" in drawn.alt and "behind the ear" in drawn.alt  # upper trapezius (referrals.yml)
    front = picture("routine/neck_base_of_skull")
    assert front is not None
    assert "A small front view shades where it can also be felt at the front or side: behind the eye" in front.alt


def test_every_place_pain_is_felt_is_drawn_on_the_back_or_the_front_view() -> None:
    figure = body.load()
    areas = [a for referral in load_content().referrals for a in referral.pain_areas]
    drawn, front, elsewhere = body.felt_spots(figure, areas)
    assert not elsewhere and front


@pytest.mark.parametrize("routine_id, front_marks", [("neck_side", 5), ("neck_base_of_skull", 1), ("shoulders_top", 0)])
def test_the_front_view_is_drawn_only_where_pain_is_felt_at_the_front(routine_id: str, front_marks: int) -> None:
    drawn = picture(f"routine/{routine_id}")
    assert drawn is not None
    shapes = drawn.drawing.shapes
    assert sum(s.style == "felt_small" for s in shapes) == front_marks
    assert any(s.style == "feature" for s in shapes) == bool(front_marks)
    assert ("Front" in [s.text for s in shapes]) == bool(front_marks)
    assert to_svg(drawn.drawing).count("<ellipse") == 1 + 2 * bool(front_marks) + bool(front_marks)  # heads, eyes


def test_svg_and_png_are_drawn_from_the_same_shapes() -> None:
    drawing = body_map(body.load())
    svg = to_svg(drawing, title="a figure")
    polygons = [s for s in drawing.shapes if s.kind == "polygon"]
    assert svg.count("<polygon") == len(polygons)
    assert all(f'data-region="{region}"' in svg for region in body.REGIONS)
    assert svg.count("<text") == len(body.REGIONS)
    png = to_png(drawing)
    assert png.startswith(PNG_SIGNATURE)
    from matplotlib.image import imread

    height, width = imread(io.BytesIO(png)).shape[:2]
    assert (width, height) == (600, 630)


def test_text_in_a_picture_is_escaped() -> None:
    drawing = body_map(body.load())
    drawing.shapes[-1] = type(drawing.shapes[-1])("text", "label", points=((0, 0),), text="<script>x</script>")
    assert "<script>" not in to_svg(drawing, title="<b>t</b>")


@pytest.mark.parametrize("name", ["../etc/passwd", "routine/../../x", "routine/NOPE", "routine/unknown_routine", ""])
def test_only_known_names_are_pictures(name: str) -> None:
    assert picture(name) is None


def test_a_figure_missing_a_region_or_naming_an_unknown_spot_is_refused() -> None:
    spec = yaml.safe_load(body.FIGURE_FILE.read_text(encoding="utf-8"))
    missing = copy.deepcopy(spec)
    del missing["regions"]["mid_back"]
    with pytest.raises(body.FigureError, match="exactly"):
        body.parse(missing)
    unknown = copy.deepcopy(spec)
    unknown["routines"]["neck_side"]["press"] = ["the moon"]
    with pytest.raises(body.FigureError, match="the moon"):
        body.parse(unknown)
    twice = copy.deepcopy(spec)
    twice["front"]["spots"]["temple"] = [96, 32]
    with pytest.raises(body.FigureError, match="both views"):
        body.parse(twice)


def test_every_place_a_step_is_done_has_a_position_drawing() -> None:
    from knotcare.content import PLACES

    figure = body.load()
    assert set(figure.positions or {}) == set(PLACES) - {"anywhere"}
    for place in figure.positions or {}:
        drawn = picture(f"position/{place}")
        assert drawn is not None and drawn.alt.startswith("A side view of a person")
        assert drawn.png.startswith(PNG_SIGNATURE) and "<line" in drawn.svg()
    assert picture("position/anywhere") is None and picture("position/../x") is None
    wall = picture("position/wall")
    assert wall is not None and any(s.style == "ball" for s in wall.drawing.shapes)


def test_a_position_drawing_with_an_unknown_style_is_refused() -> None:
    spec = yaml.safe_load(body.FIGURE_FILE.read_text(encoding="utf-8"))
    spec["positions"]["wall"].append({"style": "sparkle", "circle": [1, 1]})
    with pytest.raises(body.FigureError, match="sparkle"):
        body.parse(spec)
