"""The short red-flag screen: grouped yes/no questions, chosen by region.

Each question groups signs of the same urgency, so a plain "yes" cannot be
triaged lower than any sign it names. A "yes" records every code of its group
unless the person already named one of them in their own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class ScreenQuestion:
    """One yes/no question of the screen: the red-flag codes a "yes" affirms, and what it covers in staff's
    words (the handoff summary). Its wording for the person is the message `ask_<slot>` (data/kb/messages.yml);
    its slot, form entry and `action_ask_<slot>` are in domain/core.yml (tests/unit/test_screen.py holds them
    to this list)."""

    codes: Tuple[str, ...]
    covers: str


#: The one list of screen questions, by slot, in the order they are asked when all apply.
SCREEN: Dict[str, ScreenQuestion] = {
    "screen_cauda_equina": ScreenQuestion(("bladder_bowel_change", "saddle_numbness", "bilateral_leg_symptoms"),
                                          "bladder/bowel, saddle numbness, both legs"),
    "screen_head_neuro": ScreenQuestion(("neuro_head_signs",), "dizziness, vision, speech, swallowing"),
    "screen_trauma_chest": ScreenQuestion(("major_trauma", "chest_pain"), "fall or blow, chest pain, breathlessness"),
    "screen_nerve": ScreenQuestion(("limb_numbness_tingling", "limb_weakness"),
                                   "arm/leg weakness, numbness, clumsiness"),
    "screen_general": ScreenQuestion(("fever", "unexplained_weight_loss", "night_pain"),
                                     "fever, weight loss, night pain"),
    # Asked only when they matter (see screens_for): nerve-like pain, and new pain with no stated age.
    "screen_radiating": ScreenQuestion(("limb_numbness_tingling",), "pain travelling down an arm or a leg"),
    "screen_age": ScreenQuestion(("new_pain_age_risk",), "over 50 or under 20"),
}
#: Screen slot -> the red-flag codes a "yes" affirms.
SCREEN_CODES: Dict[str, Tuple[str, ...]] = {slot: question.codes for slot, question in SCREEN.items()}

#: Pain qualities that sound like a nerve rather than a knot: the screen asks whether the pain travels.
NERVE_QUALITIES = frozenset({"shooting", "burning", "tingling", "numbness"})
#: Pain this new (days) counts as "new" for the age rules (about six weeks).
NEW_PAIN_DAYS = 42

#: Most dangerous first. Cauda equina for the lower back (and an unspecified
#: back), vascular and brain signs for the neck and shoulders.
_BY_REGION: Dict[str, Tuple[str, ...]] = {
    "neck": ("screen_head_neuro", "screen_trauma_chest", "screen_nerve", "screen_general"),
    "shoulders": ("screen_head_neuro", "screen_trauma_chest", "screen_nerve", "screen_general"),
    "upper_back": ("screen_trauma_chest", "screen_nerve", "screen_general"),
    "mid_back": ("screen_trauma_chest", "screen_nerve", "screen_general"),
    "lower_back": ("screen_cauda_equina", "screen_trauma_chest", "screen_nerve", "screen_general"),
}
_UNKNOWN_REGION = ("screen_cauda_equina", "screen_head_neuro", "screen_trauma_chest", "screen_nerve",
                   "screen_general")


def screens_for_region(region: Optional[str]) -> List[str]:
    """The screen questions every intake asks for a region, in order."""
    return list(_BY_REGION.get(region or "", _UNKNOWN_REGION))


def screens_for(region: Optional[str], pain_quality: Optional[str] = None, duration_days: Optional[float] = None,
                age: Optional[float] = None) -> List[str]:
    """The screen questions for what is known so far, most urgent first, the general one last.

    The age question comes only for new pain when the person has not said how old they are; the
    "does it travel down a limb" question only for burning, tingling, numb or shooting pain, whose
    "no" is what lets such pain be treated as a knot.
    """
    base = screens_for_region(region)
    extra = []
    if age is None and duration_days is not None and duration_days <= NEW_PAIN_DAYS:
        extra.append("screen_age")
    if pain_quality in NERVE_QUALITIES:
        extra.append("screen_radiating")
    at = base.index("screen_nerve")
    return base[:at] + extra + base[at:]


def age_at_risk(age: float) -> bool:
    """The age question's answer for a stated age: over 50 or under 20."""
    return age >= 50 or age < 20


def codes_for_yes(screen: str, already: List[str]) -> List[str]:
    """Red-flag codes a "yes" adds, keeping any specific code the person already named."""
    group = SCREEN_CODES[screen]
    if any(code in already for code in group):
        return []
    return list(group)
