"""Signals of the reporting app.

`public_statistics_changed(codes=...)`: sent once a statistics refresh has committed, with the registry
codes (RNCP… / RS…) of the fiches whose public holder figures changed. The web app listens to it and
invalidates the cached public page of each fiche (`web.public_cache.invalidate`); reporting sits below
web in the layers, so it announces rather than calls.
"""

from django.dispatch import Signal

public_statistics_changed = Signal()
