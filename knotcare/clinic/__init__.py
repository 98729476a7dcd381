"""The clinic front desk: the clinic's profile, its opening hours, answers, handoff tickets and the report.

Plain Python (no Rasa imports): the actions in actions/clinic.py are thin adapters over this package.
"""

from knotcare.clinic.hours import Hours
from knotcare.clinic.profile import ClinicProfile, ProfileError, load_profile

__all__ = ["ClinicProfile", "Hours", "ProfileError", "load_profile"]
