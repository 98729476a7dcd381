"""Tailor a plan to what the person has: their tools, their time and how easily they move.

Plain Python: no Rasa, no database. Every change comes with a reason in plain words,
and a substitute tool is only ever one the reviewed routine already lists (so tailoring
can never put, say, a ball on the front of the neck).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from knotcare.content import Step, Tool
from knotcare.kb.seed import said

#: The session lengths the assistant offers, in minutes.
SESSION_MINUTES = (3, 10, 20)
#: Tools that can stand in for each other without rewording a step (all are "the ball").
_BALLS = frozenset({"massage_ball", "tennis_ball", "small_rubber_ball"})
#: What may replace a missing tool, best first (filtered by the routine's own tool list).
_ALTERNATIVES: Mapping[str, Tuple[str, ...]] = {
    "massage_ball": ("tennis_ball", "small_rubber_ball", "cane_massager", "handheld_massager"),
    "tennis_ball": ("massage_ball", "small_rubber_ball", "cane_massager", "handheld_massager"),
    "small_rubber_ball": ("fingertips",),
    "foam_roller": ("massage_ball", "tennis_ball", "cane_massager", "handheld_massager"),
    "cane_massager": ("handheld_massager", "massage_ball", "tennis_ball"),
    "handheld_massager": ("cane_massager", "massage_ball", "tennis_ball"),
}
#: Tools that press from a chair, for someone who can't get down to the floor or lean on a wall.
_SEATED_TOOLS = ("cane_massager", "handheld_massager")
#: Conditions that rule a tool out even when the person owns it (reviewed tool cautions).
_EXCLUDED_BY_CONDITION: Mapping[str, FrozenSet[str]] = {
    "foam_roller": frozenset({"osteoporosis", "herniated_disc", "spinal_surgery", "pregnancy"}),
    "percussion_device": frozenset({"osteoporosis", "herniated_disc", "spinal_surgery", "blood_thinners",
                                    "pregnancy"}),
}


def _seated_stretch() -> Step:
    """The stretch given in place of one on the floor or against a wall."""
    return Step("stretch", said("tailor_seated_twist_step"), None, 20, 30, 2, None, "chair")


@dataclass(frozen=True)
class Preferences:
    """What the person told us about their means; None means not asked or skipped."""

    tools: Optional[FrozenSet[str]] = None
    minutes: Optional[int] = None
    limited_mobility: Optional[bool] = None

    @classmethod
    def from_values(cls, tools: Optional[Sequence[str]], minutes: Optional[float],
                    limited_mobility: Optional[bool]) -> "Preferences":
        """From slot values (a tool list, a number of minutes, a yes/no)."""
        return cls(frozenset(tools) if tools is not None else None,
                   nearest_session_minutes(minutes) if minutes is not None else None, limited_mobility)


def nearest_session_minutes(minutes: float) -> int:
    """The offered session length closest to what the person said (7 -> 10)."""
    return min(SESSION_MINUTES, key=lambda m: (abs(m - float(minutes)), m))


@dataclass(frozen=True)
class Tailoring:
    """The result of tailoring: steps, tools, length and the reasons for each change."""

    steps: Tuple[Step, ...]
    tool_ids: Tuple[str, ...]
    minutes: int
    reasons: Tuple[str, ...]


def tailor_steps(steps: Sequence[Step], routine_tools: Sequence[str], routine_minutes: int, gentle: bool,
                 preferences: Preferences, tools: Mapping[str, Tool], conditions: FrozenSet[str] = frozenset(),
                 severity: Optional[int] = None, duration_days: Optional[float] = None) -> Tailoring:
    """Apply tools, then mobility, then time, in that order (time trims what the other two left)."""
    reasons: List[str] = []
    allowed = (set(routine_tools) | {"fingertips"}) - _excluded(conditions)
    out = list(steps)
    if preferences.tools is not None and not gentle:
        have = (set(preferences.tools) | {"fingertips"}) - _excluded(conditions)
        out, tool_reasons = _for_tools(out, have, allowed, tools)
        reasons += tool_reasons
    elif preferences.tools is not None and gentle and set(preferences.tools) - {"fingertips"}:
        reasons.append(said("tailor_gentle_fingertips"))
    if preferences.limited_mobility:
        have = (set(preferences.tools or ()) | {"fingertips"}) & allowed
        press_dose = next((s for s in steps if s.kind == "press" and s.hold_min), None)
        out, mobility_reasons = _for_mobility(out, have, tools, press_dose)
        reasons += mobility_reasons
    if steps and not any(s.kind in ("press", "roll") for s in out):
        out = [s for s in out if s.kind != "find"]  # nothing to press once found
        reasons.append(said("tailor_stretches_only"))
    minutes = routine_minutes
    if preferences.minutes is not None:
        out, minutes, time_reasons = _for_time(out, preferences.minutes, routine_minutes, gentle, severity,
                                               duration_days)
        reasons += time_reasons
    if preferences.tools is not None and "percussion_device" in preferences.tools:
        if gentle or "percussion_device" in _excluded(conditions):
            reasons.append(said("tailor_gun_not_now"))
        else:
            reasons.append(said("tailor_gun_warm_up"))
    used = tuple(dict.fromkeys(s.tool for s in out if s.tool))
    return Tailoring(tuple(out), used, minutes, tuple(reasons))


def _excluded(conditions: FrozenSet[str]) -> FrozenSet[str]:
    return frozenset(tool for tool, ruled_out in _EXCLUDED_BY_CONDITION.items() if ruled_out & conditions)


def _name(tools: Mapping[str, Tool], tool_id: str) -> str:
    """A tool's short name in a sentence ("cane massager", "fingertips")."""
    tool = tools.get(tool_id)
    name = (tool.name if tool else tool_id.replace("_", " ")).split(" (")[0]
    name = name[5:] if name.startswith("Your ") else name
    return name[0].lower() + name[1:]


def _a(name: str) -> str:
    return ("an " if name[0] in "aeiou" else "a ") + name


def _for_tools(steps: List[Step], have: set, allowed: set,
               tools: Mapping[str, Tool]) -> Tuple[List[Step], List[str]]:
    """Swap or drop steps whose tool the person lacks."""
    out: List[Step] = []
    swapped: Dict[str, str] = {}
    missing: List[str] = []
    for step in steps:
        if step.tool is None or step.tool in have:
            out.append(step)
            continue
        alternative = next((a for a in _ALTERNATIVES.get(step.tool, ()) if a in have and a in allowed), None)
        if alternative is None:
            if step.tool not in missing:
                missing.append(step.tool)
            continue
        swapped[step.tool] = alternative
        if step.tool in _BALLS and alternative in _BALLS:
            text = said("tailor_ball_step", step=step.text, tool=_name(tools, alternative))
        else:
            how = tools[alternative].how_to_use if alternative in tools else ""
            text = said("tailor_tool_step", old=_name(tools, step.tool), new=_name(tools, alternative), how=how)
        replacement = dataclasses.replace(step, text=text, tool=alternative)
        if out and out[-1].text == replacement.text:
            continue  # several roller steps become one "use your ball instead" step
        out.append(replacement)
    reasons = [said("tailor_tool_swapped", a_new=_a(_name(tools, alt)), old=_name(tools, old), new=_name(tools, alt))
               for old, alt in swapped.items()]
    if missing:
        reasons.append(said("tailor_tools_missing", names=" or ".join(_a(_name(tools, m)) for m in missing)))
    return out, reasons


def _for_mobility(steps: List[Step], have: set, tools: Mapping[str, Tool],
                  press_dose: Optional[Step]) -> Tuple[List[Step], List[str]]:
    """Everything from a chair: a long-handled tool, or a helper, instead of the floor and the wall."""
    seated = next((t for t in _SEATED_TOOLS if t in have), None)
    if seated:
        press_text = said("tailor_seated_tool_step", how=tools[seated].how_to_use) if seated in tools else \
            said("tailor_seated_tool_press_step", tool=_name(tools, seated))
        reason = said("tailor_seated_with_tool", tool=_name(tools, seated))
    else:
        press_text = said("tailor_helper_step")
        reason = said("tailor_seated_with_helper")
    out: List[Step] = []
    changed = False
    for step in steps:
        if not step.needs_floor_or_wall:
            out.append(step)
            continue
        changed = True
        if step.kind in ("stretch", "mobility"):
            # one stretch done sitting is enough (the routine's own, or the one given here)
            if any(s.kind in ("stretch", "mobility") and s.place == "chair" for s in steps + out):
                continue
            replacement = _seated_stretch()
        elif step.kind == "find":
            continue  # the seated pressing step says where to press
        else:
            replacement = dataclasses.replace(step, text=press_text, tool=seated or step.tool, place="chair")
        if replacement not in out:
            out.append(replacement)
    if not any(s.kind in ("press", "roll") for s in out) and press_dose is not None:
        # Nothing left to press with alone: a helper (or a seated tool) can still reach it.
        changed = True
        at = next((i for i, s in enumerate(out) if s.kind in ("stretch", "mobility")), len(out))
        out.insert(at, dataclasses.replace(press_dose, text=press_text, tool=seated or "fingertips", place="chair"))
    return out, [reason] if changed else []


def _for_time(steps: List[Step], minutes: int, routine_minutes: int, gentle: bool, severity: Optional[int],
              duration_days: Optional[float]) -> Tuple[List[Step], int, List[str]]:
    """Three minutes: one spot, one hold, one stretch. Twenty: more spots, never more on one spot."""
    if minutes <= 3:
        find = next((s for s in steps if s.kind == "find"), None)
        press = next((s for s in steps if s.kind in ("press", "roll")), None)
        stretch = next((s for s in steps if s.kind in ("stretch", "mobility")), None)
        short: List[Step] = []
        if find:
            short.append(find)
        if press:
            hold = press.hold_min
            short.append(dataclasses.replace(press, text=said("tailor_breathe_step", step=press.text),
                                             hold_min=hold, hold_max=hold, repetitions=None, rest_seconds=None))
        if stretch:
            short.append(dataclasses.replace(stretch, repetitions=None))
        return short, 3, [said("tailor_three_minutes")]
    if minutes >= 20:
        if gentle:
            return steps, 10, [said("tailor_twenty_gentle")]
        if (severity is not None and severity >= 6) or (duration_days is not None and duration_days <= 2):
            return steps, 10, [said("tailor_twenty_but_new")]
        return steps, 20, [said("tailor_twenty")]
    return steps, min(10, routine_minutes), [said("tailor_ten", minutes=min(10, routine_minutes))]
