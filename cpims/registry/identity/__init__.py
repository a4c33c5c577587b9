"""Pure-Python identity helpers for the registry: registration numbers, names, phones.

Nothing in this package imports Django, so it can be used from models, forms,
serialisers, import scripts and deduplication jobs alike.
"""
