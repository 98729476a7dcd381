"""A picture as a list of simple shapes, so the SVG (web) and the PNG (chat apps) are drawn from one list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from knotcare.pictures.figure import BodyFigure, Ellipse, FrontView, Mark
from knotcare.pictures.figure import Shape as FigureShape

#: Styles by name: fill, stroke, stroke width, opacity, dash, font size. Colours keep a 4.5:1 contrast for
#: text on white and 3:1 for the marks (WCAG 1.4.11).
STYLES: Dict[str, Dict[str, object]] = {
    "body": {"fill": "#e8ecea", "stroke": "#5f6b65", "width": 1.5},
    "spine": {"stroke": "#5f6b65", "width": 1.2, "dash": (4, 4)},
    "region": {"fill": "#cde3da", "stroke": "#1f6f5c", "width": 1.5},
    "region_off": {"fill": "#e8ecea", "stroke": "#5f6b65", "width": 1.0},
    "leader": {"stroke": "#1f6f5c", "width": 1.2},
    "label": {"fill": "#15201b", "size": 15},
    "knot": {"fill": "none", "stroke": "#a4372a", "width": 3.0, "r": 8},
    "press": {"fill": "#1d3f8f", "stroke": "#ffffff", "width": 1.5, "r": 5.5},
    "felt": {"fill": "#e08a1e", "stroke": "#8a4f08", "width": 1.0, "opacity": 0.6, "r": 10},
    "felt_small": {"fill": "#e08a1e", "stroke": "#8a4f08", "width": 1.0, "opacity": 0.6, "r": 5.5},
    "feature": {"fill": "#5f6b65", "stroke": "#5f6b65", "width": 1.0},
    # position drawings (a side view in thick lines)
    "limb": {"fill": "#e8ecea", "stroke": "#5f6b65", "width": 9},
    "prop": {"stroke": "#15201b", "width": 3},
    "ball": {"fill": "#1d3f8f", "stroke": "#ffffff", "width": 1.5, "r": 11},
}


#: One thing to draw (defined beside the figure, whose position drawings are made of them).
Shape = Mark


@dataclass
class Drawing:
    """The shapes of one picture, back to front, in the figure's coordinates."""

    width: float
    height: float
    shapes: List[Shape] = field(default_factory=list)


def _body(figure: BodyFigure, drawing: Drawing) -> None:
    for shape in figure.outline:
        if isinstance(shape, Ellipse):
            drawing.shapes.append(Shape("ellipse", "body", ellipse=shape))
        else:
            drawing.shapes.append(Shape("polygon", "body", points=shape))


def body_map(figure: BodyFigure, offered: Optional[Sequence[str]] = None, labels: bool = True) -> Drawing:
    """The body with its regions; `offered` regions are coloured (all when None), each with a line to where its
    label goes. `labels=False` leaves the words out (the web page puts real buttons there)."""
    offered = list(figure.regions) if offered is None else list(offered)
    drawing = Drawing(figure.width, figure.height)
    _body(figure, drawing)
    for region in figure.regions.values():
        style = "region" if region.id in offered else "region_off"
        for polygon in region.shapes:
            drawing.shapes.append(Shape("polygon", style, points=polygon, region=region.id))
    drawing.shapes.append(Shape("line", "spine", points=figure.spine))
    for region_id in offered:
        region = figure.regions[region_id]
        end = (figure.label_x - 4, region.label_y)
        drawing.shapes.append(Shape("line", "leader", points=(region.anchor, end), region=region_id))
        drawing.shapes.append(Shape("circle", "leader", points=(region.anchor,), region=region_id))
        if labels:
            drawing.shapes.append(Shape("text", "label", points=((figure.label_x, region.label_y),),
                                        text=region.label, region=region_id))
    return drawing


def routine_picture(figure: BodyFigure, knots: Sequence[str], press: Sequence[str], felt: Sequence[str],
                    legend: Sequence[Tuple[str, str]], felt_front: Sequence[str] = (),
                    front_label: str = "") -> Drawing:
    """The body with the spots: shaded where pain is felt, rings on the knots, a dot where to press; with
    `felt_front`, a small front view below the legend, shaded where the pain may be felt at the front or side.

    `legend` is (style, words) for each kind of mark shown, in the reviewed words of messages.yml."""
    drawing = Drawing(figure.width, figure.height)
    _body(figure, drawing)
    drawing.shapes.append(Shape("line", "spine", points=figure.spine))
    for style, names in (("felt", felt), ("knot", knots), ("press", press)):
        for name in names:
            drawing.shapes.append(Shape("circle", style, points=(figure.spots[name],)))
    y = 60.0
    for style, words in legend:
        drawing.shapes.append(Shape("circle", style, points=((figure.label_x + 10, y),)))
        drawing.shapes.append(Shape("text", "label", points=((figure.label_x + 28, y),), text=words))
        y += 40
    if felt_front and figure.front is not None:
        _front_view(figure, figure.front, drawing, felt_front, front_label)
    return drawing


def _front_view(figure: BodyFigure, front: FrontView, drawing: Drawing, felt: Sequence[str], label: str) -> None:
    """The silhouette again, small and with a face, shaded where the pain may be felt at the front."""
    def moved(shape: FigureShape) -> Shape:
        if isinstance(shape, Ellipse):
            return Shape("ellipse", "body", ellipse=Ellipse(*front.place((shape.cx, shape.cy)),
                                                            shape.rx * front.scale, shape.ry * front.scale))
        return Shape("polygon", "body", points=tuple(front.place(p) for p in shape))

    drawing.shapes.extend(moved(shape) for shape in figure.outline)
    drawing.shapes.extend(Shape(s.kind, "feature", points=s.points, ellipse=s.ellipse)
                          for s in map(moved, front.features))
    if label:
        drawing.shapes.append(Shape("text", "label", points=(front.place(front.label_at),), text=label))
    drawing.shapes.extend(Shape("circle", "felt_small", points=(front.place(front.spots[name]),)) for name in felt)


def wrap(text: str, width: int = 16) -> List[str]:
    """A label broken into lines of about `width` characters (both renderers wrap the same way)."""
    lines: List[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def position_picture(figure: BodyFigure, place: str) -> Drawing:
    """Where the body goes for a step (`place`: wall, floor, chair, standing), as a side view; KeyError when the
    figure has no drawing for it."""
    width, height = figure.positions_size
    return Drawing(width, height, list((figure.positions or {})[place]))
