"""Nomenclatures: IDCC, OPCO, CPNE, ROME, NSF, Formacode, and their importers."""
