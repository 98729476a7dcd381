"""A drawing as PNG bytes (Telegram and Slack), drawn off-screen with matplotlib from the same shapes."""

from __future__ import annotations

import io
from typing import Any, Dict

from knotcare.pictures.drawing import STYLES, Drawing, Shape, wrap

SCALE = 1.5  # pixels per figure unit: a 400 x 420 figure is a 600 x 630 PNG


def _kwargs(style: str) -> Dict[str, Any]:
    s = STYLES[style]
    kwargs: Dict[str, Any] = {"facecolor": s.get("fill", "none"), "edgecolor": s.get("stroke", "none"),
                              "linewidth": float(s.get("width", 1)) * SCALE * 0.75}  # type: ignore[arg-type]
    if "opacity" in s:
        kwargs["alpha"] = s["opacity"]
    return kwargs


def _draw(axes: Any, shape: Shape) -> None:
    from matplotlib import patches

    if shape.kind == "polygon":
        axes.add_patch(patches.Polygon(shape.points, closed=True, **_kwargs(shape.style)))
    elif shape.kind == "ellipse" and shape.ellipse is not None:
        e = shape.ellipse
        axes.add_patch(patches.Ellipse((e.cx, e.cy), 2 * e.rx, 2 * e.ry, **_kwargs(shape.style)))
    elif shape.kind == "circle":
        radius = float(STYLES[shape.style].get("r", 3))  # type: ignore[arg-type]
        axes.add_patch(patches.Circle(shape.points[0], radius, **_kwargs(shape.style)))
    elif shape.kind == "line":
        s = STYLES[shape.style]
        (x1, y1), (x2, y2) = shape.points
        axes.plot([x1, x2], [y1, y2], color=s["stroke"], linewidth=float(s.get("width", 1)) * SCALE * 0.75,  # type: ignore
                  linestyle=(0, s["dash"]) if "dash" in s else "-")
    else:
        (x, y), size = shape.points[0], float(STYLES[shape.style].get("size", 14))  # type: ignore[arg-type]
        axes.text(x, y, "\n".join(wrap(shape.text)), fontsize=size * SCALE * 0.72, color=STYLES[shape.style]["fill"],
                  va="center", ha="left", family="DejaVu Sans", linespacing=1.1)


def to_png(drawing: Drawing) -> bytes:
    """The drawing as PNG bytes on a white background."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; imported lazily to keep the action server's start fast
    from matplotlib.figure import Figure

    dpi = 100
    figure = Figure(figsize=(drawing.width * SCALE / dpi, drawing.height * SCALE / dpi), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, drawing.width)
    axes.set_ylim(drawing.height, 0)  # y downwards, as in SVG
    axes.set_aspect("equal")
    axes.axis("off")
    for shape in drawing.shapes:
        _draw(axes, shape)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
