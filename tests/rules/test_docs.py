"""docs/rules.md lists every rule of the book."""

from pathlib import Path

from cqphub.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_every_rule_version_is_listed_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    missing = [r.id for r in RULES if f"`{r.id}`" not in text]
    assert not missing, f"docs/rules.md does not list {missing}: regenerate the rule book table"
