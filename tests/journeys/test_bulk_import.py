"""Bulk import of candidates: template, row/column/reason errors, all or nothing, the command."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cqphub.journeys.bulk_import import COLUMNS, ImportRefused, import_candidates, template_csv, template_xlsx
from cqphub.journeys.models import Candidacy, CandidacyTransition, Candidate
from cqphub.orgs.models import AuditEntry

pytestmark = pytest.mark.django_db


def row(scene, n, **extra):
    data = {
        "nom_naissance": f"Martin{n}",
        "prenoms": "Hugo",
        "sexe": "M",
        "annee_naissance": "1990",
        "mois_naissance": "3",
        "jour_naissance": str(1 + n % 28),
        "commune_naissance": "75056",
        "cqp": str(scene.cqp.pk),
        "voie": "formation",
        "financement": "plan",
        "situation": "employee",
        "debut_prevu": "2026-09-01",
        "fin_prevue": "2027-06-30",
        "heures_prevues": "400",
        "employeur": "Boulangerie du Marché",
    }
    data.update(extra)
    return data


def to_csv(rows, delimiter=";"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=delimiter)
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Candidats"
    sheet.append(list(COLUMNS))
    for r in rows:
        sheet.append([r.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_file_imports_everything(scene):
    rows = [row(scene, n) for n in range(1, 6)]
    rows.append(row(scene, 6, voie="vae", financement="france_vae", blocs="BC01|BC03"))
    report = import_candidates(actor=scene.users["trainer"], centre=scene.lyon, data=to_csv(rows))
    assert report.rows == 6 and len(report.candidacies) == 6
    vae = Candidacy.objects.get(route="vae")
    assert vae.target == "blocks" and sorted(b.code for b in vae.target_blocks.all()) == ["BC01", "BC03"]
    assert vae.admissibility.decision == ""
    assert vae.findings_by_id()["vae.access"]["outcome"] == "yes"
    assert CandidacyTransition.objects.filter(to_status="draft").count() == 6
    assert AuditEntry.objects.filter(action="import").count() == 1
    assert Candidate.objects.filter(created_by_centre=scene.lyon).count() == 6


def test_xlsx_and_comma_csv(scene):
    report = import_candidates(
        actor=None, centre=scene.lyon, data=to_xlsx([row(scene, 1)]), filename="candidats.xlsx"
    )
    assert len(report.candidacies) == 1
    report = import_candidates(actor=None, centre=scene.lyon, data=to_csv([row(scene, 2)], delimiter=","))
    assert len(report.candidacies) == 1


def test_errors_name_row_column_reason_and_nothing_is_written(scene):
    before = (Candidate.objects.count(), Candidacy.objects.count(), AuditEntry.objects.count())
    rows = [
        row(scene, 1),
        row(scene, 2, sexe="X"),
        row(scene, 3, annee_naissance="19x0"),
        row(scene, 4, commune_naissance="", pays_naissance=""),
        row(scene, 5, financement="professionalisation"),  # an employee: the law closes it
        row(scene, 6, cqp="999999"),
        row(scene, 7, blocs="BC09"),
        row(scene, 8, debut_prevu="2024-06-01"),  # before the centre's habilitation
        row(scene, 9, jour_naissance="31", mois_naissance="2"),
        row(scene, 1),  # the same person as line 2
        row(scene, 11, voie="vae", financement="poe"),
        row(scene, 12, email="not-an-email"),
    ]
    with pytest.raises(ImportRefused) as exc:
        import_candidates(actor=None, centre=scene.lyon, data=to_csv(rows))
    found = {(e.row, e.column) for e in exc.value.errors}
    assert found == {
        (3, "sexe"),
        (4, "annee_naissance"),
        (5, "commune_naissance"),
        (6, "financement"),
        (7, "cqp"),
        (8, "blocs"),
        (9, "cqp"),
        (10, "jour_naissance"),
        (11, "nom_naissance"),
        (12, "financement"),
        (13, "email"),
    }
    messages = {(e.row, e.column): e.message for e in exc.value.errors}
    assert "L. 6325-1" in messages[(6, "financement")]
    assert "ligne 2" in messages[(11, "nom_naissance")]
    assert "habilité" in messages[(9, "cqp")]
    assert (Candidate.objects.count(), Candidacy.objects.count(), AuditEntry.objects.count()) == before


def test_people_already_recorded_are_not_created_twice(scene):
    import_candidates(actor=None, centre=scene.lyon, data=to_csv([row(scene, 1)]))
    with pytest.raises(ImportRefused) as exc:
        import_candidates(
            actor=None, centre=scene.lyon, data=to_csv([row(scene, 1, nom_naissance="MARTIN1")])
        )
    assert exc.value.errors[0].column == "nom_naissance" and "déjà enregistrée" in exc.value.errors[0].message


def test_missing_columns_formulas_and_unreadable_files(scene):
    with pytest.raises(ImportRefused) as exc:
        import_candidates(actor=None, centre=scene.lyon, data=b"nom_naissance;prenoms\nA;B\n")
    assert {e.column for e in exc.value.errors} >= {"sexe", "cqp", "voie"}
    with pytest.raises(ImportRefused) as exc:
        import_candidates(
            actor=None,
            centre=scene.lyon,
            data=to_xlsx([row(scene, 1, nom_naissance='=HYPERLINK("x")')]),
        )
    assert "formule" in exc.value.errors[0].message
    with pytest.raises(ImportRefused):
        import_candidates(actor=None, centre=scene.lyon, data=b"PK\x03\x04garbage", filename="x.xlsx")
    with pytest.raises(ImportRefused):
        import_candidates(actor=None, centre=scene.lyon, data=b"\xff\xfe\x00bad")


def test_templates_round_trip(scene):
    from cqphub.journeys.bulk_import import read_rows

    header = next(read_rows(template_csv()))[1]["__header__"]
    assert header == list(COLUMNS)
    data = template_xlsx([scene.cqp, scene.cqpi])
    assert next(read_rows(data, "t.xlsx"))[1]["__header__"] == list(COLUMNS)


def test_command(scene, tmp_path, capsys):
    good = tmp_path / "candidats.csv"
    good.write_bytes(to_csv([row(scene, 1), row(scene, 2)]))
    call_command("journeys", "import-candidates", str(good), "--centre", scene.lyon.siret)
    assert "2 candidacies" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([row(scene, 3, sexe="?")]))
    with pytest.raises(CommandError, match="1 error"):
        call_command("journeys", "import-candidates", str(bad), "--centre", scene.lyon.siret)
    assert "ligne 2, sexe" in capsys.readouterr().err
    with pytest.raises(CommandError, match="no centre"):
        call_command("journeys", "import-candidates", str(good), "--centre", "12345678901234")
    template = tmp_path / "modele.xlsx"
    call_command("journeys", "template", str(template), "--centre", scene.lyon.siret)
    assert template.stat().st_size > 1000
