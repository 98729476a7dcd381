"""Every picture by name, drawn from the figure and the reviewed files: `body_map`, `routine/<id>` and
`position/<place>` (where the body goes for a step).

Both the web page (SVG) and the Telegram and Slack channels (PNG) ask here, so a picture and its text
alternative are the same wherever they are shown. Nothing here is personal: the progress chart is drawn
elsewhere (knotcare.progress.chart) and never has a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Optional

from knotcare.config import DATA_DIR
from knotcare.kb.seed import reviewed_content, words
from knotcare.pictures import figure as body
from knotcare.pictures.drawing import Drawing, body_map, position_picture
from knotcare.pictures.png import to_png
from knotcare.pictures.routine import picture_for, routine_pain_areas
from knotcare.pictures.svg import to_svg

NAME = re.compile(r"^(?:body_map|routine/[a-z0-9_]{1,60}|position/[a-z_]{1,20})$")


@dataclass(frozen=True)
class Picture:
    """A named picture and what it shows in words."""

    name: str
    drawing: Drawing
    alt: str

    def svg(self) -> str:
        """For the web page."""
        return to_svg(self.drawing, title=self.alt)

    @cached_property
    def png(self) -> bytes:
        """For Telegram and Slack (drawn once per picture)."""
        return to_png(self.drawing)


@lru_cache(maxsize=32)
def picture(name: str, data_dir: Path = DATA_DIR) -> Optional[Picture]:
    """The picture called `name`, or None when there is none (an unknown routine, a malformed name)."""
    if not NAME.match(name or ""):
        return None
    figure = body.load()
    content = reviewed_content(data_dir)
    said = words(data_dir)
    if name == "body_map":
        return Picture(name, body_map(figure), said["picture_body_map_alt"])
    if name.startswith("position/"):
        place = name.split("/", 1)[1]
        if place not in (figure.positions or {}):
            return None
        return Picture(name, position_picture(figure, place), said[f"picture_position_{place}_alt"])
    routine_id = name.split("/", 1)[1]
    if routine_id not in figure.routines:
        return None
    areas = routine_pain_areas(routine_id, content.referrals)
    drawn = picture_for(figure, routine_id, areas, said.__getitem__)
    return Picture(name, drawn.drawing, drawn.alt)
