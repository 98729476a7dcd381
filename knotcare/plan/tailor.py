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
_SEATED_STRETCH = Step("stretch", "Seated twist: sit tall in a firm chair, fold your arms across your chest and "
                       "turn slowly to one side, then the other.", None, 20, 30, 2, None, "chair")


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
        reasons.append("Because of the health condition you mentioned, this gentle routine uses only your fingertips, "
                       "even though you have other tools: leave them aside until your clinician says firmer work is "
                       "fine.")
    if preferences.limited_mobility:
        have = (set(preferences.tools or ()) | {"fingertips"}) & allowed
        press_dose = next((s for s in steps if s.kind == "press" and s.hold_min), None)
        out, mobility_reasons = _for_mobility(out, have, tools, press_dose)
        reasons += mobility_reasons
    if steps and not any(s.kind in ("press", "roll") for s in out):
        out = [s for s in out if s.kind != "find"]  # nothing to press once found
        reasons.append("Your hands can't reach this area well on their own, so this version is stretches only. "
                       "A tennis ball in a long sock, held against a wall, is about the cheapest way to press it: "
                       "tell me when you have one and I'll add those steps back.")
    minutes = routine_minutes
    if preferences.minutes is not None:
        out, minutes, time_reasons = _for_time(out, preferences.minutes, routine_minutes, gentle, severity,
                                               duration_days)
        reasons += time_reasons
    if preferences.tools is not None and "percussion_device" in preferences.tools:
        if gentle or "percussion_device" in _excluded(conditions):
            reasons.append("Leave the massage gun aside for now: with the condition you mentioned, deep percussion "
                           "may not be safe until your clinician says so.")
        else:
            reasons.append("You have a massage gun: use it only to warm the muscles up for a minute on its lowest "
                           "setting, keeping it moving and off the spine and neck. Steady pressure suits the knot "
                           "itself better.")
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
            text = f"{step.text} (Use your {_name(tools, alternative)}.)"
        else:
            how = tools[alternative].how_to_use if alternative in tools else ""
            text = f"Instead of the {_name(tools, step.tool)}, use your {_name(tools, alternative)}: {how}"
        replacement = dataclasses.replace(step, text=text, tool=alternative)
        if out and out[-1].text == replacement.text:
            continue  # several roller steps become one "use your ball instead" step
        out.append(replacement)
    reasons = [f"You said you have {_a(_name(tools, alt))} but no {_name(tools, old)}, so your "
               f"{_name(tools, alt)} takes its place." for old, alt in swapped.items()]
    if missing:
        names = " or ".join(_a(_name(tools, m)) for m in missing)
        reasons.append(f"You don't have {names}, so I've left out the steps that need one.")
    return out, reasons


def _for_mobility(steps: List[Step], have: set, tools: Mapping[str, Tool],
                  press_dose: Optional[Step]) -> Tuple[List[Step], List[str]]:
    """Everything from a chair: a long-handled tool, or a helper, instead of the floor and the wall."""
    seated = next((t for t in _SEATED_TOOLS if t in have), None)
    if seated:
        press_text = f"Sit in a firm chair. {tools[seated].how_to_use}" if seated in tools else \
            f"Sit in a firm chair and press the spot with your {_name(tools, seated)}."
        reason = (f"You said getting down to the floor or leaning on a wall is hard, so every step is done sitting, "
                  f"with your {_name(tools, seated)} doing the reaching.")
    else:
        press_text = ("Sit in a firm chair and ask someone you trust to press the spot for you, with their fingertips "
                      "or your ball, building slowly to about 6 out of 10 while you tell them how it feels.")
        reason = ("You said getting down to the floor or leaning on a wall is hard, so every step is done sitting, "
                  "with a helper pressing for you. A cane massager would let you do it alone.")
    out: List[Step] = []
    changed = False
    for step in steps:
        if not step.needs_floor_or_wall:
            out.append(step)
            continue
        changed = True
        if step.kind in ("stretch", "mobility"):
            if any(s.text.startswith("Seated twist") for s in steps + out):
                continue
            replacement = _SEATED_STRETCH
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
            short.append(dataclasses.replace(press, text=press.text + " Breathe slowly while you hold.",
                                             hold_min=hold, hold_max=hold, repetitions=None, rest_seconds=None))
        if stretch:
            short.append(dataclasses.replace(stretch, repetitions=None))
        return short, 3, ["You said you have 3 minutes, so this is the short version: find one spot, one hold at "
                          "the shorter end, then one stretch. A few minutes every day still helps."]
    if minutes >= 20:
        if gentle:
            return steps, 10, ["Even with 20 minutes, keep this gentle routine to about 10 minutes until your "
                               "clinician says more is fine; spend the rest on warmth and easy walking."]
        if (severity is not None and severity >= 6) or (duration_days is not None and duration_days <= 2):
            return steps, 10, ["You have 20 minutes, but since it's quite painful or very new, keep to about 10 "
                               "minutes for the first few sessions; more pressing now tends to make it guard."]
        return steps, 20, ["You said you have 20 minutes, so go through these steps for two or three knots, one "
                           "after another. Keep to about 5 minutes on any one spot: the extra time goes to more "
                           "spots, not harder work on one."]
    return steps, min(10, routine_minutes), [f"You have about 10 minutes: that's the full routine below for one "
                                             f"or two knots (about {min(10, routine_minutes)} minutes)."]
