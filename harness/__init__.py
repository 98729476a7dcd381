"""The evaluation harness: starts the assistant's processes and runs reviewed sets of messages against them.

Used by the end-to-end tests and by `benchmarks/`; never by the product (`knotcare/` does not import it).
"""
