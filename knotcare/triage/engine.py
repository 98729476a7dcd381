"""Deterministic triage: every rule that matches is reported; the most urgent decides.

Plain Python, no Rasa: the same engine serves the assistant, `knotcare triage`
and the tests. Rules are data (data/kb/triage_rules.yml, loaded into SQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

#: Triage levels, most urgent first (the contract's values).
LEVELS: Tuple[str, ...] = ("emergency", "urgent", "see_clinician", "consult_first", "self_care")


def urgency(level: str) -> int:
    """0 for the most urgent level; larger is less urgent."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Facts:
    """What we know about the person's complaint."""

    region: Optional[str] = None
    pain_quality: Optional[str] = None
    duration_days: Optional[float] = None
    severity: Optional[int] = None
    red_flags: FrozenSet[str] = frozenset()
    conditions: FrozenSet[str] = frozenset()
    age: Optional[int] = None
    #: Does the pain travel down an arm or a leg? None while nobody asked.
    pain_radiates: Optional[bool] = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "Facts":
        """Build facts from JSON-like data (contract slot names are accepted too)."""
        def pick(*names: str) -> Any:
            return next((data[n] for n in names if data.get(n) is not None), None)

        duration = pick("duration_days", "pain_duration_days")
        severity = pick("severity", "pain_severity")
        age = pick("age")
        radiates = pick("pain_radiates", "screen_radiating")
        return cls(
            region=pick("region", "body_region"),
            pain_quality=pick("pain_quality"),
            duration_days=float(duration) if duration is not None else None,
            severity=int(severity) if severity is not None else None,
            red_flags=frozenset(pick("red_flags") or ()),
            conditions=frozenset(pick("conditions") or ()),
            age=int(age) if age is not None else None,
            pain_radiates=bool(radiates) if radiates is not None else None,
        )


@dataclass(frozen=True)
class Rule:
    """One reviewed triage rule: conditions, the level they lead to, why, and the source."""

    id: str
    level: str
    when: Mapping[str, Any]
    message: str
    source: str
    #: The same reason worded for someone writing for another person (contract: the subject); empty when
    #: `message` already reads right for both.
    message_for_other: str = ""

    def message_for(self, subject: Optional[str]) -> str:
        """The reason worded for the conversation's subject (`self` or `other`)."""
        return self.message_for_other if subject == "other" and self.message_for_other else self.message

    def matches(self, facts: Facts) -> bool:
        """True when every condition of the rule holds for these facts."""
        return all(_CONDITIONS[key](facts, value) for key, value in self.when.items())


def _any_of(values: Iterable[str], wanted: Sequence[str]) -> bool:
    return bool(set(values) & set(wanted))


def _at_least(actual: Optional[float], bound: float) -> bool:
    return actual is not None and actual >= bound


def _at_most(actual: Optional[float], bound: float) -> bool:
    return actual is not None and actual <= bound


_CONDITIONS: Dict[str, Callable[[Facts, Any], bool]] = {
    "red_flags_any": lambda f, v: _any_of(f.red_flags, v),
    "red_flags_all": lambda f, v: set(v) <= f.red_flags,
    "conditions_any": lambda f, v: _any_of(f.conditions, v),
    "regions_any": lambda f, v: f.region in v,
    "pain_quality_any": lambda f, v: f.pain_quality in v,
    "severity_min": lambda f, v: _at_least(f.severity, v),
    "duration_days_min": lambda f, v: _at_least(f.duration_days, v),
    "duration_days_max": lambda f, v: _at_most(f.duration_days, v),
    "age_min": lambda f, v: _at_least(f.age, v),
    "age_max": lambda f, v: _at_most(f.age, v),
    # Holds until the person says the pain does not travel down a limb.
    "radiation_not_ruled_out": lambda f, v: (f.pain_radiates is not False) == bool(v),
}
#: The condition keys a rule may use.
CONDITION_KEYS = frozenset(_CONDITIONS)


def validate_rule(rule: Rule) -> None:
    """Raise ValueError for an unknown level or condition key (caught at seeding)."""
    if rule.level not in LEVELS:
        raise ValueError(f"rule {rule.id}: unknown level {rule.level!r}")
    unknown = set(rule.when) - CONDITION_KEYS
    if unknown:
        raise ValueError(f"rule {rule.id}: unknown condition keys {sorted(unknown)}")


@dataclass(frozen=True)
class Decision:
    """The outcome: the deciding level, every matched rule, and the deciding rules' messages."""

    level: str
    rule_ids: Tuple[str, ...]
    deciding: Tuple[Rule, ...] = field(default_factory=tuple)

    @property
    def messages(self) -> List[str]:
        """Why, in plain words: the messages of the rules at the deciding level."""
        return [rule.message for rule in self.deciding]

    def messages_for(self, subject: Optional[str]) -> List[str]:
        """The same reasons, worded for the conversation's subject."""
        return [rule.message_for(subject) for rule in self.deciding]

    def as_dict(self) -> Dict[str, Any]:
        """JSON-ready form for audits and `knotcare triage`."""
        return {
            "level": self.level,
            "rule_ids": list(self.rule_ids),
            "deciding_rule_ids": [r.id for r in self.deciding],
            "message": " ".join(self.messages),
            "sources": sorted({r.source for r in self.deciding}),
        }


def decide(facts: Facts, rules: Iterable[Rule]) -> Decision:
    """Apply every rule; the most urgent matching level decides.

    With no matching rule at all the result is `see_clinician`: a rule set that
    cannot place a case must not fall through to self-care.
    """
    matched = sorted((r for r in rules if r.matches(facts)), key=lambda r: urgency(r.level))
    if not matched:
        return Decision("see_clinician", ())
    level = matched[0].level
    return Decision(level, tuple(r.id for r in matched), tuple(r for r in matched if r.level == level))
