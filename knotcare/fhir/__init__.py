"""HL7 FHIR R4 for the clinic's records system: the intake Questionnaire and each handoff as a Bundle."""
