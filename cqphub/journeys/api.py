"""JSON API of the journeys app (mounted under /api/v1/ by cqphub/api.py)."""

from ninja import Router

router = Router(tags=["journeys"])
