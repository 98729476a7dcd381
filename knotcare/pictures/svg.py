"""A drawing as SVG (the web page): plain shapes with their colours inline, text escaped."""

from __future__ import annotations

from typing import List, Optional, Sequence, cast
from xml.sax.saxutils import escape

from knotcare.pictures.drawing import STYLES, Drawing, Shape, wrap


def _paint(style: str) -> str:
    s = STYLES[style]
    parts = [f'fill="{s.get("fill", "none")}"']
    if "stroke" in s:
        parts.append(f'stroke="{s["stroke"]}" stroke-width="{s.get("width", 1)}"')
    if "dash" in s:
        on, off = cast(Sequence[float], s["dash"])
        parts.append(f'stroke-dasharray="{on} {off}"')
    if "opacity" in s:
        parts.append(f'opacity="{s["opacity"]}"')
    return " ".join(parts)


def _element(shape: Shape) -> str:
    data = f' data-region="{shape.region}"' if shape.region else ""
    if shape.kind == "polygon":
        points = " ".join(f"{x:g},{y:g}" for x, y in shape.points)
        return f'<polygon points="{points}" {_paint(shape.style)}{data}/>'
    if shape.kind == "ellipse" and shape.ellipse is not None:
        e = shape.ellipse
        return f'<ellipse cx="{e.cx:g}" cy="{e.cy:g}" rx="{e.rx:g}" ry="{e.ry:g}" {_paint(shape.style)}/>'
    if shape.kind == "circle":
        (x, y), r = shape.points[0], STYLES[shape.style].get("r", 3)
        return f'<circle cx="{x:g}" cy="{y:g}" r="{r}" {_paint(shape.style)}{data}/>'
    if shape.kind == "line":
        (x1, y1), (x2, y2) = shape.points
        return f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" {_paint(shape.style)}{data}/>'
    (x, y), size = shape.points[0], STYLES[shape.style].get("size", 14)
    lines = wrap(shape.text)
    top = y - (len(lines) - 1) * float(size) * 0.6  # type: ignore[arg-type]
    spans = "".join(f'<tspan x="{x:g}" y="{top + i * float(size) * 1.2:g}">{escape(line)}</tspan>'  # type: ignore
                    for i, line in enumerate(lines))
    return (f'<text font-family="system-ui, sans-serif" font-size="{size}" fill="{STYLES[shape.style]["fill"]}" '
            f'dominant-baseline="middle"{data}>{spans}</text>')


def to_svg(drawing: Drawing, title: Optional[str] = None) -> str:
    """A standalone SVG document; `title` is its text alternative (role="img" with a <title>)."""
    parts: List[str] = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width:g} {drawing.height:g}"'
                        + (' role="img" aria-labelledby="t"' if title else ' aria-hidden="true"') + ">"]
    if title:
        parts.append(f"<title id=\"t\">{escape(title)}</title>")
    parts.extend(_element(shape) for shape in drawing.shapes)
    parts.append("</svg>")
    return "\n".join(parts)

