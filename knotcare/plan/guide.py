"""The step-by-step mode's use case: from where a session stands and what the person asked, the next move.

Plain Python: the action (actions/plans.py) says it, shows its pictures and sets the slots; here is only which
step comes, whether the body moves somewhere else for it, and how long its hold is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from knotcare.content import Step
from knotcare.plan.builder import new_place

#: What the person can ask in a session (the intents step_next, step_repeat, step_stop).
NEXT, REPEAT, STOP = "next", "repeat", "stop"


@dataclass(frozen=True)
class GuideMove:
    """The next move: `stopped` (the person stopped), `done` (past the last step) or `step` (say step `number`)."""

    kind: str
    number: int = 0
    total: int = 0
    step: Optional[Step] = None
    #: where the body goes for this step, when that changes (a chair, a wall, the floor); None when it stays
    place: Optional[str] = None
    #: the hold to time, seconds
    hold: Optional[int] = None
    #: this step starts the session
    starts: bool = False


def next_move(steps: Sequence[Step], current: int, active: bool, asked: str = "") -> GuideMove:
    """The move after `asked` (NEXT, REPEAT, STOP or anything else) when the session is at step `current` (1-based,
    0 before the first) and `active`; a session that is not active starts at step 1 whatever was asked."""
    if active and asked == STOP:
        return GuideMove("stopped", current, len(steps))
    number = max(1, current + 1 if active and asked == NEXT else current if active else 1)
    if number > len(steps):
        return GuideMove("done", len(steps), len(steps))
    step = steps[number - 1]
    # Repeating a step leaves the body where it is.
    place = new_place(steps, number) if asked != REPEAT else None
    return GuideMove("step", number, len(steps), step, place, step.hold_max or step.hold_min, starts=not active)
