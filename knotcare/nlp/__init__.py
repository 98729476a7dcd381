"""Reading facts out of what people type: regions, muscles, pain, time, severity, red flags.

`knotcare.nlp.quantities` (durations, ratings) is plain regular expressions;
`knotcare.nlp.extractor` loads spaCy. Import the one you need: the action server
only needs quantities, and importing spaCy there would cost ~350 MB.
"""
