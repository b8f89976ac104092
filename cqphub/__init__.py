"""cqphub: the open platform for France's branch qualifications (CQP / CQPI)."""

__version__ = "0.1.0"
