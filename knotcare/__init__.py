"""Knotcare: self-care for muscle knots in the neck and back, with red-flag triage.

The packages here are plain Python with no Rasa imports: the knowledge base
(`knotcare.kb`), the triage engine (`knotcare.triage`), the plan builder
(`knotcare.plan`) and the spaCy-based fact extractor (`knotcare.nlp`). The Rasa
side (`actions/`, `components/`) is a thin layer over them.
"""

__version__ = "0.1.0"
