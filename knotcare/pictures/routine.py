"""A routine's picture: its knots, where to press, where their pain may be felt, and the same in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, List, Sequence

from knotcare.pictures.drawing import Drawing, routine_picture
from knotcare.pictures.figure import BodyFigure, felt_spots

#: Looks up a reviewed message's text by key (the knowledge base's messages).
Words = Callable[[str], str]


@dataclass(frozen=True)
class RoutinePicture:
    """The drawing of one routine and its text alternative."""

    routine_id: str
    drawing: Drawing
    alt: str


def _listed(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    # Semicolons: some places have a comma of their own ("between the shoulder blades, close to the spine").
    return names[0] if len(names) == 1 else "; ".join(names[:-1]) + " and " + names[-1]


def routine_pain_areas(routine_id: str, referrals: Iterable[object]) -> List[str]:
    """The places pain is often felt from the muscles that list this routine (referrals.yml), in order."""
    areas: List[str] = []
    for referral in referrals:
        if routine_id in getattr(referral, "routine_ids", ()):
            areas += [a for a in getattr(referral, "pain_areas", ()) if a not in areas]
    return areas


def picture_for(figure: BodyFigure, routine_id: str, pain_areas: Sequence[str], words: Words) -> RoutinePicture:
    """The picture of `routine_id`; raises KeyError when the figure has no marks for it."""
    marks = figure.routines[routine_id]
    drawn, front, elsewhere = felt_spots(figure, list(pain_areas))
    legend = [("knot", words("picture_legend_knot")), ("press", words("picture_legend_press"))]
    if drawn or front:
        legend.append(("felt", words("picture_legend_felt")))
    drawing = routine_picture(figure, marks.knots, marks.press, drawn, legend, front,
                              words("picture_front_label") if front else "")
    alt = [words("picture_routine_alt").format(knots=_listed(marks.knots), press=_listed(marks.press))]
    if drawn:
        alt.append(words("picture_routine_felt").format(felt=_listed(drawn)))
    if front:
        alt.append(words("picture_routine_felt_front").format(front=_listed(front)))
    if elsewhere:
        alt.append(words("picture_routine_felt_elsewhere").format(elsewhere=_listed(elsewhere)))
    return RoutinePicture(routine_id, drawing, " ".join(alt))
