"""The red-flag triage engine: reviewed rules in, a level with its reasons out."""

from knotcare.triage.engine import LEVELS, Decision, Facts, Rule, decide

__all__ = ["LEVELS", "Decision", "Facts", "Rule", "decide"]
