"""Follow-up: plans given, pain before and after sessions, check-ins, and what they add up to."""

from knotcare.progress.followup import CheckInOutcome, assess_check_in, summary
from knotcare.progress.model import Entry, PlanRecord

__all__ = ["CheckInOutcome", "Entry", "PlanRecord", "assess_check_in", "summary"]
