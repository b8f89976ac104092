"""Factories for candidates (`cqphub.journeys`) and `CqpScene`, the smallest setting a candidacy,
an assessment or a jury needs: a registered CQP, centres with dated habilitations, staff in every role.

`CqpScene` mirrors the demo's shapes (tests/journeys/helpers.py names them) without its content, and
builds each part on first use, so a test pays only for what it touches:

- `cqp`: registered in the RNCP from 2023-04-01 to 2028-04-01, blocks BC01 to BC03 (four criteria
  each), its registry fiche published (open to VAE);
- `cqpi`: an interbranch CQP sharing the CQP's BC03 (as the demo's shares its hygiene block),
  published and transmitted, not registered;
- `lyon`: trains the CQP (habilitation 2024-09-01 → 2029-08-31);
- `south`: assesses BC02 of the CQP (2024-01-01 → 2028-12-31), suspended;
- `north`: trains and assesses the CQP until 2025-08-31 (expired), the CQPI from 2025-03-01;
- `users`: one account per role, keyed as the demo world's, each made when first named (trainer at
  lyon, assessor at south, centre manager at north, branch roles in the CQP's branch, "outsider",
  "no_role").
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

import factory

from cqphub.journeys import services
from cqphub.journeys.models import Candidate
from cqphub.qualifications import services as qualification_services
from cqphub.qualifications.enums import HabilitationScope
from tests.factories.orgs import STAFF_ROLES, CentreFactory, LazyStaff, make_staff_member
from tests.factories.qualifications import (
    QualificationFactory,
    blocks_by_code,
    make_habilitation,
    publish_fiche,
)


class CandidateFactory(factory.Factory):
    """A candidate recorded through the services (duplicate check, audit) by `actor` for `centre`.
    Born 17/05/1998 unless told otherwise; `n` varies the birth name and e-mail."""

    class Meta:
        model = Candidate

    actor = None
    centre = None
    n = factory.Sequence(lambda n: n + 1)
    birth_name = factory.LazyAttribute(lambda o: f"Durand{o.n}")
    first_names = "Léa Marie"
    sex = "F"
    birth_year = 1998
    birth_month = 5
    birth_day = 17
    birth_commune = "69123"
    email = factory.LazyAttribute(lambda o: f"lea{o.n}@example.org")

    @classmethod
    def _create(cls, model_class, *, actor, centre, n, **fields):
        return services.create_candidate(actor=actor, centre=centre, **fields)


class _Parts:
    def __init__(self, scene):
        self._scene = scene

    def __getitem__(self, name):
        return getattr(self._scene, name)


class CqpScene:
    """A registered CQP with its centres and staff, built part by part on first use (see the module)."""

    @cached_property
    def cqp(self):
        cqp = QualificationFactory(
            registered=True,
            blocks=("BC01", "BC02", "BC03"),
            criteria_per_skill=2,
            registration=(date(2023, 4, 1), date(2028, 4, 1)),
        )
        publish_fiche(cqp)
        return cqp

    @cached_property
    def cqpi(self):
        cqpi = QualificationFactory(cqpi=True, published=True, shared=[blocks_by_code(self.cqp)["BC03"]])
        for kind, on in (("transmitted_fc", date(2025, 2, 10)), ("transmitted_cdc", date(2025, 2, 12))):
            qualification_services.record_lifecycle_event(actor=None, qualification=cqpi, kind=kind, on=on)
        return cqpi

    @cached_property
    def branch(self):
        return self.cqp.committee.branches.get()

    @cached_property
    def lyon(self):
        centre = CentreFactory(training=True, name="Fournil École Lyon")
        make_habilitation(centre=centre, qualification=self.cqp)
        return centre

    @cached_property
    def south(self):
        centre = CentreFactory(assessment=True, name="Atelier Sud")
        make_habilitation(
            centre=centre,
            qualification=self.cqp,
            scope=HabilitationScope.ASSESS,
            valid_from=date(2024, 1, 1),
            valid_until=date(2028, 12, 31),
            blocks=[blocks_by_code(self.cqp)["BC02"]],
            suspended=True,
        )
        return centre

    @cached_property
    def north(self):
        centre = CentreFactory(name="Campus Nord")
        make_habilitation(
            centre=centre,
            qualification=self.cqp,
            scope=HabilitationScope.BOTH,
            valid_from=date(2020, 9, 1),
            valid_until=date(2025, 8, 31),
        )
        make_habilitation(
            centre=centre,
            qualification=self.cqpi,
            scope=HabilitationScope.BOTH,
            valid_from=date(2025, 3, 1),
            valid_until=date(2030, 2, 28),
        )
        return centre

    @cached_property
    def users(self) -> LazyStaff:
        return LazyStaff(self._staff_member)

    def _staff_member(self, key: str):
        centre = {"trainer": "lyon", "assessor": "south", "centre_manager": "north"}.get(key)
        centres = {STAFF_ROLES[key][1]: getattr(self, centre)} if centre else {}
        return make_staff_member(key, branch=self.branch, centres=centres)

    def build_all(self) -> CqpScene:
        """Make every part now (a scene shared by a module's tests must not grow inside one test's
        savepoint)."""
        for part in ("cqp", "cqpi", "lyon", "south", "north"):
            getattr(self, part)
        self.users.make_all()
        return self

    @property
    def extra(self) -> _Parts:
        """`scene.extra["lyon"]` is `scene.lyon`: the journeys helpers, written for the demo world,
        read its parts so (tests/journeys/helpers.py)."""
        return _Parts(self)

    def candidate(self, **extra):
        """A candidate recorded by the trainer for lyon (CandidateFactory's keywords)."""
        extra.setdefault("centre", self.lyon)
        extra.setdefault("actor", self.users["trainer"])
        return CandidateFactory(**extra)
