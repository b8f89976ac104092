"""CQP / CQPI authored by branches: three frameworks, versions, legal lifecycle."""
