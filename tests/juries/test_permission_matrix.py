"""Every URL of the assessment and juries pages, with every role (harness: tests/orgs/permission_matrix.py).

The world: an assessment session at Atelier Sud (the demo assessor's centre) with a signed grid, and a
closed jury of the bakery branch chaired by the demo jury member. The demo centre manager runs another
centre (Nord): Sud's session is not theirs."""

import pytest

from cqphub.assessment.models import Grid
from tests.juries.chain import assessed, assessment_session, assign_everywhere, jury_session
from tests.orgs.permission_matrix import Case, assert_matrix

pytestmark = pytest.mark.django_db

STAFF = {"superuser": 200, "branch_admin": 200, "certification_officer": 200}
EVERYONE = {
    role: 200
    for role in (
        "superuser",
        "branch_admin",
        "certification_officer",
        "jury_member",
        "centre_manager",
        "trainer",
        "assessor",
        "advisor",
        "employer_contact",
        "outsider",
        "no_role",
    )
}


@pytest.fixture
def chain(world, django_capture_on_commit_callbacks):
    from cqphub.juries import services

    president = world.users["jury_member"]
    president.set_password("pw-jury-2026")
    president.save()
    session = assessment_session(world)
    assign_everywhere(world, session)
    candidacy = assessed(world, session=session)
    jury = jury_session(world)
    staff = world.users["certification_officer"]
    services.add_candidate(actor=staff, session=jury, candidacy=candidacy)
    services.open_session(actor=staff, session=jury)
    services.decide_as_proposed(actor=president, session=jury)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_session(actor=president, session=jury, password="pw-jury-2026")
    world.extra.update(
        session=session,
        grid=Grid.objects.filter(candidacy=candidacy).first(),
        jury=jury,
        candidacy=candidacy,
        decision=jury.decisions.first(),
        minutes=jury.minutes.get(),
    )
    return world


CASES = [
    Case("assessment:index", lambda w: {}, EVERYONE),
    Case("assessment:schedule", lambda w: {}, {"superuser": 200, "centre_manager": 200}),
    Case("assessment:session", lambda w: {"pk": w.extra["session"].pk}, {**STAFF, "assessor": 200}),
    Case("assessment:grid", lambda w: {"pk": w.extra["grid"].pk}, {**STAFF, "assessor": 200}),
    Case("juries:index", lambda w: {}, EVERYONE),
    Case("juries:create", lambda w: {}, STAFF),
    Case("juries:rules", lambda w: {}, STAFF),
    Case("juries:session", lambda w: {"pk": w.extra["jury"].pk}, {**STAFF, "jury_member": 200}),
    Case(
        "juries:candidate",
        lambda w: {"pk": w.extra["jury"].pk, "candidacy_pk": w.extra["candidacy"].pk},
        {**STAFF, "jury_member": 200},
    ),
    Case("juries:minutes", lambda w: {"pk": w.extra["minutes"].pk}, {**STAFF, "jury_member": 200}),
    Case("juries:my_results", lambda w: {}, {}),
    # Writes: only the people whose job it is; everybody else learns nothing (404).
    Case(
        "assessment:grid",
        lambda w: {"pk": w.extra["grid"].pk},
        {"assessor": 302},
        method="post",
        data=lambda w: {"action": "save"},
    ),
    Case(
        "juries:session",
        lambda w: {"pk": w.extra["jury"].pk},
        {**{k: 302 for k in STAFF}},
        method="post",
        data=lambda w: {"action": "notify"},
    ),
    Case(
        "juries:revoke",
        lambda w: {"pk": w.extra["decision"].pk},
        {**{k: 302 for k in STAFF}},
        method="post",
        data=lambda w: {"kind": "correction", "reason": ""},
    ),
]


def test_assessment_and_juries_permission_matrix(client, chain, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert_matrix(client, chain, CASES)
