import pytest

from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE, load_demo_qualifications
from cqphub.qualifications.models import Habilitation, Qualification, SkillBlock

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(world):
    cqp = Qualification.objects.get(title=CQP_TITLE)
    cqpi = Qualification.objects.get(title=CQPI_TITLE)
    assert cqp.latest_published().number == 1 and cqp.draft().number == 2
    assert cqpi.latest_published() is not None
    assert cqp.state == "registered" and cqp.fiche_code == "RNCP99001"
    shared = SkillBlock.objects.get(code="BC03", frozen=True)
    assert set(shared.qualifications()) == {cqp, cqpi}
    states = {h.current_state for h in Habilitation.objects.all()}
    assert {"active", "suspended", "expired"} <= states
    counts = (Qualification.objects.count(), SkillBlock.objects.count(), Habilitation.objects.count())
    assert load_demo_qualifications() == {"qualifications": 0, "habilitations": 0}
    assert (Qualification.objects.count(), SkillBlock.objects.count(), Habilitation.objects.count()) == counts
