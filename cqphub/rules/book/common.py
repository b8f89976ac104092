"""What every section of the rule book shares: outcome and certainty names, key dates, formatting."""

from __future__ import annotations

from datetime import date

from cqphub.rules.model import Certainty, Outcome

BOOK_START = date(2019, 1, 1)  # France compétences, the RNCP/RS in their current form, CPF in euros
VAE_REFORM = date(2022, 12, 23)  # loi n° 2022-1598: no minimum experience, VAE by blocs
FRANCE_TRAVAIL_FROM = date(2024, 1, 1)  # loi n° 2023-1196

YES, NO, COND, INFO = Outcome.YES, Outcome.NO, Outcome.CONDITIONAL, Outcome.INFO
CODE, OFF, SEC, BEL = Certainty.CODE, Certainty.OFFICIAL, Certainty.SECONDARY, Certainty.READING


def fr_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "?"


def en_date(day: date | None) -> str:
    return day.isoformat() if day else "?"


def euros_fr(amount: float) -> str:
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",").replace(",00 €", " €")


def euros_en(amount: float) -> str:
    return f"€{amount:,.2f}".replace(".00", "")


def employment_body(on: date) -> str:
    """France Travail from 2024-01-01, Pôle emploi before (L. 5312-1, loi n° 2023-1196)."""
    return "France Travail" if on >= FRANCE_TRAVAIL_FROM else "Pôle emploi"
