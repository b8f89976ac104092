"""Findings stored once per distinct content (RulesSnapshot) instead of a copy on every candidacy."""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    Snapshot = apps.get_model("journeys", "RulesSnapshot")
    Candidacy = apps.get_model("journeys", "Candidacy")
    cache = {}
    for candidacy in Candidacy.objects.all().only("pk", "findings").iterator():
        findings = candidacy.findings or []
        canonical = json.dumps(findings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        if digest not in cache:
            cache[digest], _ = Snapshot.objects.get_or_create(digest=digest, defaults={"findings": findings})
        Candidacy.objects.filter(pk=candidacy.pk).update(rules_snapshot=cache[digest])


class Migration(migrations.Migration):
    dependencies = [("journeys", "0002_api_token")]

    operations = [
        migrations.CreateModel(
            name="RulesSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64, unique=True)),
                ("findings", models.JSONField(default=list)),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "constats du moteur de règles",
                "verbose_name_plural": "constats du moteur de règles",
            },
        ),
        migrations.AddField(
            model_name="candidacy",
            name="rules_snapshot",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="journeys.rulessnapshot",
                verbose_name="constats du moteur de règles",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
