"""Addresses and reads shared by the framework-row tests (editing, deletion and undo)."""

BASE = "/espace/qualifications/"


def version_url(cqp, version, tail):
    return f"{BASE}{cqp.pk}/versions/{version.number}/{tail}"


def block_of(version, code):
    return version.version_blocks.get(block__code=code).block


def skill_codes(block):
    return list(block.skills.order_by("order", "pk").values_list("code", flat=True))
