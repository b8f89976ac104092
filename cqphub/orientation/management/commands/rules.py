"""`cqphub rules list` and `cqphub rules explain`: the rule book and its answers from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cqphub.orientation.services import OrientationError, UnknownCertification, explain, parse_on
from cqphub.rules import RULES, rules_on, valid_until


def _read_json(path: str, what: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{what} {path}: no such file")
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{what} {path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        )
    if not isinstance(data, dict):
        raise CommandError(f"{what} {path}: expected a JSON object")
    return data


class Command(BaseCommand):
    help = "The legal rules engine: list the dated rule book, or explain a certification for a person."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,explain}")
        listing = sub.add_parser("list", help="the rule book with dates, certainty and sources")
        listing.add_argument("--on", help="only the versions in force on this date (YYYY-MM-DD)")
        listing.add_argument("--json", action="store_true", help="JSON instead of a table")
        ex = sub.add_parser("explain", help="the findings for a certification and a person")
        target = ex.add_mutually_exclusive_group(required=True)
        target.add_argument("--certification", metavar="CODE", help="a registry code, e.g. RNCP12345")
        target.add_argument("--facts", metavar="FILE.json", help="a certification's facts (branch-only CQP…)")
        ex.add_argument("--person", metavar="FILE.json", required=True, help="the person's situation")
        ex.add_argument("--on", metavar="YYYY-MM-DD", help="evaluation date (default: today)")
        ex.add_argument("--json", action="store_true", help="JSON output")
        ex.add_argument(
            "--language", choices=["fr", "en"], default="fr", help="explanations' language (text)"
        )

    def handle(self, *args, **options):
        if options["action"] == "list":
            return self._list(options)
        return self._explain(options)

    # -- list ------------------------------------------------------------------------------------
    def _list(self, options):
        rules = list(RULES)
        if options.get("on"):
            try:
                rules = list(rules_on(parse_on(options["on"])))
            except (OrientationError, ValueError) as exc:
                raise CommandError(str(exc))
        rows = [
            {
                "id": r.id,
                "finding": r.finding,
                "valid_from": r.valid_from.isoformat(),
                "valid_until": (u.isoformat() if (u := valid_until(r)) else None),
                "certainty": r.certainty.value,
                "summary": r.summary,
                "citations": [c.to_dict() for c in r.sources],
            }
            for r in rules
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            period = f"{row['valid_from']} → {row['valid_until'] or '…'}"
            refs = "; ".join(c["ref"] for c in row["citations"])
            self.stdout.write(f"{row['finding']:<32} {period:<25} {row['certainty']:<17} {row['summary']}")
            self.stdout.write(f"{'':<32} {refs}")
        self.stdout.write(f"{len(rows)} rule version(s).")

    # -- explain ---------------------------------------------------------------------------------
    def _explain(self, options):
        person = _read_json(options["person"], "--person")
        facts = _read_json(options["facts"], "--facts") if options.get("facts") else None
        try:
            result = explain(
                certification=options.get("certification"), facts=facts, person=person, on=options.get("on")
            )
        except UnknownCertification as exc:
            raise CommandError(f"--certification {exc.code}: not in the registry (import it first)")
        except OrientationError as exc:
            raise CommandError(str(exc))
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        language = options["language"]
        self.stdout.write(f"{result.certification or '—'} · {result.on.isoformat()}")
        for f in result.findings:
            value = "" if f.value is None else f" = {f.value}"
            self.stdout.write(f"[{f.outcome.value:>11}] {f.id}{value}")
            self.stdout.write(f"              {f.text(language)}")
            self.stdout.write(
                f"              ({f.certainty.label[language]}; {'; '.join(c.ref for c in f.citations)})"
            )
