"""Reading facts out of what people type: regions, muscles, pain, time, severity, red flags."""

from knotcare.nlp.extractor import FactExtractor, Mention, default_extractor
from knotcare.nlp.quantities import duration_to_days, severity_to_int

__all__ = ["FactExtractor", "Mention", "default_extractor", "duration_to_days", "severity_to_int"]
