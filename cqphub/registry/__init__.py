"""Certifications as France compétences publishes them (RNCP, RS): records, import, search."""
