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
}

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
    """The screen questions to ask for a region, in order."""
    return list(_BY_REGION.get(region or "", _UNKNOWN_REGION))


def codes_for_yes(screen: str, already: List[str]) -> List[str]:
    """Red-flag codes a "yes" adds, keeping any specific code the person already named."""
    group = SCREEN_CODES[screen]
    if any(code in already for code in group):
        return []
    return list(group)
