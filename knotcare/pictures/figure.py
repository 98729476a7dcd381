"""The body figure: outline, the five regions, named spots and what each routine's picture marks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple, Union

import yaml

from knotcare.config import DATA_DIR

FIGURE_FILE = DATA_DIR / "pictures" / "body.yml"
REGIONS = ("neck", "shoulders", "upper_back", "mid_back", "lower_back")

Point = Tuple[float, float]


@dataclass(frozen=True)
class Ellipse:
    """An ellipse (the head)."""

    cx: float
    cy: float
    rx: float
    ry: float


Polygon = Tuple[Point, ...]
Shape = Union[Ellipse, Polygon]


@dataclass(frozen=True)
class Region:
    """One of the five regions: its shapes and where its label goes."""

    id: str
    label: str
    anchor: Point
    label_y: float
    shapes: Tuple[Polygon, ...]


@dataclass(frozen=True)
class RoutineMarks:
    """Where a routine's knots usually are and where to press (names of spots)."""

    knots: Tuple[str, ...]
    press: Tuple[str, ...]


@dataclass(frozen=True)
class FrontView:
    """The small front view: where it goes in the picture, its face, and the places on the front or side it marks
    (in the back view's coordinates; `place` moves a point into the picture)."""

    origin: Point
    scale: float
    features: Tuple[Shape, ...]
    spots: Dict[str, Point]
    label_at: Point = (150.0, 30.0)

    def place(self, point: Point) -> Point:
        """A point of the figure's coordinates where it is drawn in the small front view."""
        return self.origin[0] + point[0] * self.scale, self.origin[1] + point[1] * self.scale


@dataclass(frozen=True)
class Mark:
    """One thing to draw: a polygon, an ellipse, a circle, a line or a text, with a style name (the position
    drawings are made of these as read; knotcare.pictures.drawing makes the other pictures of them)."""

    kind: str
    style: str
    points: Tuple[Point, ...] = ()
    ellipse: Optional[Ellipse] = None
    text: str = ""
    region: Optional[str] = None  # the region a shape belongs to (the web map makes it clickable)


#: The styles a position drawing may use (knotcare.pictures.drawing.STYLES has them).
POSITION_STYLES = ("limb", "prop", "ball")


@dataclass(frozen=True)
class BodyFigure:
    """Everything the pictures are drawn from."""

    width: float
    height: float
    label_x: float
    outline: Tuple[Shape, ...]
    spine: Tuple[Point, Point]
    regions: Dict[str, Region]
    spots: Dict[str, Point]
    routines: Dict[str, RoutineMarks]
    front: Optional[FrontView] = None
    positions_size: Point = (320.0, 240.0)
    positions: Optional[Dict[str, Tuple[Mark, ...]]] = None


class FigureError(ValueError):
    """The figure file is malformed or names a spot or region it does not define."""


def _point(value: object) -> Point:
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise FigureError(f"a point is [x, y], not {value!r}")
    return float(value[0]), float(value[1])


def _shape(value: object) -> Shape:
    if isinstance(value, Mapping):
        return Ellipse(*(float(value[k]) for k in ("cx", "cy", "rx", "ry")))
    if isinstance(value, list) and len(value) >= 3:
        return tuple(_point(p) for p in value)
    raise FigureError(f"a shape is a polygon of 3 or more points or an ellipse, not {value!r}")


def parse(spec: Mapping) -> BodyFigure:
    """A figure from the file's contents; every region is present and every spot a routine names exists."""
    width, height = (float(v) for v in spec["size"])
    regions: Dict[str, Region] = {}
    for region_id, raw in (spec.get("regions") or {}).items():
        shapes = tuple(_shape(s) for s in raw["shapes"])
        if any(isinstance(s, Ellipse) for s in shapes):
            raise FigureError(f"region {region_id}: polygons only")
        regions[region_id] = Region(region_id, str(raw["label"]), _point(raw["anchor"]), float(raw["label_y"]),
                                    shapes)  # type: ignore[arg-type]
    if set(regions) != set(REGIONS):
        raise FigureError(f"the regions must be exactly {', '.join(REGIONS)}, not {', '.join(regions)}")
    spots = {str(name): _point(p) for name, p in (spec.get("spots") or {}).items()}
    routines: Dict[str, RoutineMarks] = {}
    for routine_id, raw in (spec.get("routines") or {}).items():
        marks = RoutineMarks(tuple(raw.get("knots") or ()), tuple(raw.get("press") or ()))
        unknown = [s for s in marks.knots + marks.press if s not in spots]
        if unknown or not marks.knots:
            raise FigureError(f"routine {routine_id}: no knots, or spots not in `spots`: {unknown}")
        routines[str(routine_id)] = marks
    spine = spec.get("spine") or [[width / 2, 0], [width / 2, height]]
    positions = dict(spec.get("positions") or {})
    size = _point(positions.pop("size", (320, 240)))
    return BodyFigure(width, height, float(spec["label_x"]), tuple(_shape(s) for s in spec["outline"]),
                      (_point(spine[0]), _point(spine[1])), regions, spots, routines, _front(spec.get("front"), spots),
                      size, {str(place): tuple(_position_shape(place, s) for s in shapes)
                             for place, shapes in positions.items()})


def _position_shape(place: object, raw: Mapping) -> Mark:
    style = str(raw.get("style"))
    if style not in POSITION_STYLES:
        raise FigureError(f"position {place}: style {style!r} is not one of {', '.join(POSITION_STYLES)}")
    if "line" in raw:
        line = tuple(_point(p) for p in raw["line"])
        if len(line) != 2:
            raise FigureError(f"position {place}: a line has two points")
        return Mark("line", style, line)
    if "circle" in raw:
        return Mark("circle", style, (_point(raw["circle"]),))
    shape = _shape(raw.get("ellipse") if "ellipse" in raw else raw.get("polygon"))
    if isinstance(shape, Ellipse):
        return Mark("ellipse", style, ellipse=shape)
    return Mark("polygon", style, shape)


def _front(raw: object, back_spots: Mapping[str, Point]) -> Optional[FrontView]:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise FigureError(f"`front` is a mapping, not {raw!r}")
    spots = {str(name): _point(p) for name, p in (raw.get("spots") or {}).items()}
    both = sorted(set(spots) & set(back_spots))
    if both:
        raise FigureError(f"spots on both views (a place is drawn on one): {both}")
    return FrontView(_point(raw["origin"]), float(raw["scale"]), tuple(_shape(s) for s in raw.get("features") or ()),
                     spots, _point(raw.get("label_at", (150, 30))))


@lru_cache(maxsize=4)
def load(path: Path = FIGURE_FILE) -> BodyFigure:
    """The figure in `path` (read once)."""
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def felt_spots(figure: BodyFigure, pain_areas: List[str]) -> Tuple[List[str], List[str], List[str]]:
    """The pain areas the back view marks, those the front view marks, and those neither does, each in order."""
    front = figure.front.spots if figure.front is not None else {}
    return ([a for a in pain_areas if a in figure.spots], [a for a in pain_areas if a in front],
            [a for a in pain_areas if a not in figure.spots and a not in front])
