"""The short red-flag screen: grouped yes/no questions, chosen by region.

Each question groups signs of the same urgency, so a plain "yes" cannot be
triaged lower than any sign it names. A "yes" records every code of its group
unless the person already named one of them in their own words.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

#: Screen slot -> the red-flag codes a "yes" affirms.
SCREEN_CODES: Dict[str, Tuple[str, ...]] = {
    "screen_cauda_equina": ("bladder_bowel_change", "saddle_numbness", "bilateral_leg_symptoms"),
    "screen_head_neuro": ("neuro_head_signs",),
    "screen_trauma_chest": ("major_trauma", "chest_pain"),
    "screen_nerve": ("limb_numbness_tingling", "limb_weakness"),
    "screen_general": ("fever", "unexplained_weight_loss", "night_pain"),
    # Asked only when they matter (see screens_for): nerve-like pain, and new pain with no stated age.
    "screen_radiating": ("limb_numbness_tingling",),
    "screen_age": ("new_pain_age_risk",),
}

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


def codes_for_yes(screen: str, already: List[str]) -> List[str]:
    """Red-flag codes a "yes" adds, keeping any specific code the person already named."""
    group = SCREEN_CODES[screen]
    if any(code in already for code in group):
        return []
    return list(group)
