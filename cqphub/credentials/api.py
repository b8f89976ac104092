"""JSON API of the credentials app (mounted under /api/v1/ by cqphub/api.py)."""

from ninja import Router

router = Router(tags=["credentials"])
