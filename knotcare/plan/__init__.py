"""The plan builder: from the facts and the triage decision to a routine tailored to this person."""

from knotcare.plan.builder import Plan, build_plan, choose_routine, new_place, region_words, step_line, tailor
from knotcare.plan.tailor import Preferences

__all__ = ["Plan", "Preferences", "build_plan", "choose_routine", "new_place", "region_words", "step_line", "tailor"]
