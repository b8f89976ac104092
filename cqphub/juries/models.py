"""Jury sessions, decisions per block (append-only), awards, minutes and appeals.

Shape
- `JuryRules`: the CQP's own jury rules as the branch set them, in dated versions.
- `JurySession` for a qualification: date, place or remote, `JuryMember`s (college, president,
  presence), `JuryCandidate`s (the candidacies on its list, attendance, notification) with the
  `Excusal`s of members linked to a candidate. Planned → open (composition checked) → closed.
- `Decision(session, candidacy, block, validated, reason)`: append-only — the database refuses
  UPDATE and DELETE (triggers, `append_only.py`), the model refuses them too. A correction, a
  withdrawal for fraud (R. 6412-7) or the outcome of an appeal is a new row that `revokes` the old
  one (one row revoked at most once: a one-to-one key).
- `Award`: written when a session closes, per candidate with at least one block validated (the
  hinge read by credentials and reporting through `selectors.py`); a revoked award stays, with
  `revoked_at` set, and its replacement (if any) `revokes` it.
- `Minutes`: the minutes PDF, with its SHA-256; immutable; an addendum is a new row.
- `Appeal`: a candidate's appeal against a decision and its outcome.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.juries.enums import (
    AppealOutcome,
    Attendance,
    AwardKind,
    BlockProposal,
    College,
    DecisionKind,
    ExcusalReason,
    Gender,
    Overall,
    SessionStatus,
)
from cqphub.qualifications.models import Qualification, QualificationVersion, SkillBlock

VAE_NOTIFICATION_DAYS = 15  # R. 6412-7: result notified within 15 days of the jury


class AppendOnlyError(TypeError):
    """An UPDATE or DELETE of an append-only row."""


class JuryRules(models.Model):
    """The CQP's own jury rules (set by the branch), from `valid_from` on."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="jury_rules")
    valid_from = models.DateField(_("applicables à partir du"))
    min_size = models.PositiveSmallIntegerField(_("nombre minimal de membres"), default=2)
    quorum = models.PositiveSmallIntegerField(_("quorum (membres présents)"), default=2)
    parity = models.BooleanField(_("parité employeurs / salariés"), default=True)
    min_qualified = models.PositiveSmallIntegerField(_("personnes qualifiées (minimum)"), default=0)
    reference = models.CharField(_("référence du règlement"), max_length=250, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("règles de jury du CQP")
        verbose_name_plural = _("règles de jury du CQP")
        ordering = ["qualification", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "valid_from"], name="juries_rules_unique_date"),
            models.CheckConstraint(condition=Q(quorum__gte=1, min_size__gte=1), name="juries_rules_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.qualification} — {self.valid_from:%d/%m/%Y}"

    def owning_branches(self):
        return self.qualification.owning_branches()


class JurySessionQuerySet(models.QuerySet):
    def for_branches(self, branches):
        return self.filter(qualification__committee__branches__in=branches).distinct()


class JurySession(models.Model):
    qualification = models.ForeignKey(
        Qualification, verbose_name=_("CQP"), on_delete=models.PROTECT, related_name="jury_sessions"
    )
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    on = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=250, blank=True)
    remote = models.BooleanField(_("à distance"), default=False)
    status = models.CharField(
        _("état"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED, db_index=True
    )
    composition = models.JSONField(_("contrôle de la composition"), default=dict, blank=True)
    assessment = models.OneToOneField(
        "assessment.AssessmentSession",
        verbose_name=_("évaluation par le jury (VAE)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jury",
    )
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_check = models.CharField(_("confirmation de la clôture"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = JurySessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session de jury")
        verbose_name_plural = _("sessions de jury")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SessionStatus]), name="juries_session_status"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False, opened_at__isnull=False),
                name="juries_session_closed_at",
            ),
            models.CheckConstraint(condition=Q(remote=True) | ~Q(place=""), name="juries_session_place"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.qualification} — {self.on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("juries:session", kwargs={"pk": self.pk})

    def owning_branches(self):
        return self.qualification.owning_branches()

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    @property
    def place_display(self) -> str:
        return str(_("À distance")) if self.remote and not self.place else self.place

    def assert_editable(self) -> None:
        if self.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED):
            raise ValidationError(
                _("La session de jury du %(on)s est close : plus rien n'y est modifiable.")
                % {"on": self.on.strftime("%d/%m/%Y")},
                code="session_closed",
            )


class _SessionChild(models.Model):
    """A row of a session's composition or list: refused once the session is closed."""

    # Fields a closed session may still record (e.g. when a result was notified).
    AFTER_CLOSING: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        stored = JurySession.objects.filter(pk=self.session_id).values_list("status", flat=True).first()
        late = kwargs.get("update_fields") and set(kwargs["update_fields"]) <= self.AFTER_CLOSING
        if stored in (SessionStatus.CLOSED, SessionStatus.CANCELLED) and not (
            late and not self._state.adding
        ):
            self.session.status = stored
            self.session.assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.session.assert_editable()
        return super().delete(*args, **kwargs)


class JuryMember(_SessionChild):
    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jury_seats",
    )
    name = models.CharField(_("nom"), max_length=200)
    college = models.CharField(_("collège"), max_length=10, choices=College.choices)
    gender = models.CharField(_("sexe"), max_length=1, choices=Gender.choices, blank=True)
    president = models.BooleanField(_("président"), default=False)
    present = models.BooleanField(_("présent"), default=True)
    qualified = models.BooleanField(
        _("qualifié au titre du CQP"),
        null=True,
        blank=True,
        help_text=_("Vide : les personnes qualifiées le sont, les représentants ne le sont pas."),
    )
    organisation = models.CharField(_("organisme"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        ordering = ["session", "-president", "college", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(president=True), name="juries_one_president"
            ),
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(user__isnull=False), name="juries_member_once"
            ),
            models.CheckConstraint(
                condition=Q(college__in=[c.value for c in College]), name="juries_member_college"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JuryCandidate(_SessionChild):
    AFTER_CLOSING = frozenset({"overall", "notified_at"})

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="candidates")
    candidacy = models.ForeignKey(
        "journeys.Candidacy",
        verbose_name=_("candidature"),
        on_delete=models.PROTECT,
        related_name="jury_entries",
    )
    attendance = models.CharField(
        _("présence"), max_length=8, choices=Attendance.choices, default=Attendance.PRESENT
    )
    overall = models.CharField(_("résultat"), max_length=12, choices=Overall.choices, blank=True)
    notify_by = models.DateField(_("à notifier au plus tard le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notifié le"), null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidat présenté au jury")
        verbose_name_plural = _("candidats présentés au jury")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "candidacy"], name="juries_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.candidacy}"

    def deadline_for(self, route: str):
        """R. 6412-7: a VAE result is notified within 15 days of the jury."""
        if route == "vae":
            return self.session.on + timedelta(days=VAE_NOTIFICATION_DAYS)
        return None


class Excusal(_SessionChild):
    """A member excused for one candidate (a link with them, or their VAE accompanist: D. 6412-6)."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="excusals")
    entry = models.ForeignKey(JuryCandidate, on_delete=models.CASCADE, related_name="excusals")
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="excusals")
    reason = models.CharField(_("motif"), max_length=12, choices=ExcusalReason.choices)
    note = models.CharField(_("précision"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("déport d'un membre")
        verbose_name_plural = _("déports de membres")
        ordering = ["entry", "member"]
        constraints = [models.UniqueConstraint(fields=["entry", "member"], name="juries_excusal_once")]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_reason_display()}"


# ---------------------------------------------------------------------------------------------
# Decisions: append-only
# ---------------------------------------------------------------------------------------------


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(
            "Jury decisions are append-only: record a new decision that revokes the old one."
        )

    def delete(self):
        raise AppendOnlyError(
            "Jury decisions are append-only: record a new decision that revokes the old one."
        )

    def _raw_delete(self, using):
        raise AppendOnlyError("Jury decisions are append-only.")

    def current(self):
        """Decisions no later row revokes."""
        return self.filter(revoked_by__isnull=True)


class Decision(models.Model):
    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="decisions")
    candidacy = models.ForeignKey(
        "journeys.Candidacy", on_delete=models.PROTECT, related_name="jury_decisions"
    )
    block = models.ForeignKey(SkillBlock, verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    validated = models.BooleanField(_("validé"))
    proposal = models.CharField(_("proposition"), max_length=14, choices=BlockProposal.choices)
    reason = models.TextField(_("motif"), blank=True)
    kind = models.CharField(
        _("nature"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.DECISION
    )
    revokes = models.OneToOneField(
        "self",
        verbose_name=_("révoque"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_by",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_repr = models.CharField(_("auteur"), max_length=254, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["session", "candidacy", "block", "at", "pk"]
        indexes = [models.Index(fields=["candidacy", "block"], name="juries_decision_cy_block")]
        constraints = [
            models.CheckConstraint(
                # Departing from the proposal, or revoking a decision, needs a reason.
                condition=~Q(reason="")
                | (Q(revokes__isnull=True) & Q(proposal="validated", validated=True))
                | (
                    Q(revokes__isnull=True)
                    & Q(proposal__in=["not_validated", "not_assessed"], validated=False)
                ),
                name="juries_decision_reason",
                violation_error_message=_("Un écart à la proposition ou une révocation doit être motivé."),
            ),
            models.CheckConstraint(
                condition=Q(kind="decision") | Q(revokes__isnull=False), name="juries_decision_kind_revokes"
            ),
        ]

    def __str__(self) -> str:
        verdict = _("validé") if self.validated else _("non validé")
        return f"{self.block.code} {verdict}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                "Jury decisions are append-only: record a new decision that revokes the old one."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            "Jury decisions are append-only: record a new decision that revokes the old one."
        )

    @property
    def departs(self) -> bool:
        return self.validated != (self.proposal == BlockProposal.VALIDATED)


# ---------------------------------------------------------------------------------------------
# Awards: the hinge read by credentials and reporting (through selectors.py only)
# ---------------------------------------------------------------------------------------------


class AwardQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)

    def update(self, **kwargs):
        raise AppendOnlyError("Awards are written once; a revocation is a new award row (or none).")

    def delete(self):
        raise AppendOnlyError("Awards are never deleted.")


class Award(models.Model):
    """What a candidate obtained from a jury: the whole CQP, or the blocks listed (partial)."""

    candidate = models.ForeignKey("journeys.Candidate", on_delete=models.PROTECT, related_name="awards")
    candidacy = models.ForeignKey("journeys.Candidacy", on_delete=models.PROTECT, related_name="awards")
    version = models.ForeignKey(QualificationVersion, on_delete=models.PROTECT, related_name="awards")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(_("nature"), max_length=7, choices=AwardKind.choices)
    blocks = models.ManyToManyField(SkillBlock, through="AwardBlock", related_name="awards")
    decision_date = models.DateField(_("date de la décision"))
    place = models.CharField(_("lieu du jury"), max_length=250, blank=True)
    jury_session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="awards")
    route = models.CharField(_("voie d'accès"), max_length=8)
    revokes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revocation_reason = models.TextField(_("motif de la révocation"), blank=True)
    created = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification obtenue")
        verbose_name_plural = _("certifications obtenues")
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(fields=["decision_date"], name="juries_award_date"),
            models.Index(fields=["candidate", "revoked_at"], name="juries_award_candidate"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["full", "partial"]), name="juries_award_kind"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="juries_award_revocation_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.qualification} — {self.decision_date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # The only change an award accepts: being marked revoked, once (see services.revoke).
            stored = type(self).objects.filter(pk=self.pk).values("revoked_at").first()
            allowed = kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {
                "revoked_at",
                "revocation_reason",
            }
            if not (stored and stored["revoked_at"] is None and self.revoked_at and allowed):
                raise AppendOnlyError("An award is written once; only its revocation is recorded on it.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Awards are never deleted.")

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None

    def owning_branches(self):
        return self.qualification.owning_branches()


class AwardBlock(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="award_blocks")
    block = models.ForeignKey(SkillBlock, on_delete=models.PROTECT, related_name="+")
    earlier = models.BooleanField(
        _("acquis antérieurement"),
        default=False,
        help_text=_("Bloc validé avant cette session (compté pour le CQP)."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["award", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["award", "block"], name="juries_award_block_once")]

    def __str__(self) -> str:
        return str(self.block)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Award blocks are written with their award.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Award blocks are never deleted.")


# ---------------------------------------------------------------------------------------------
# Minutes and appeals
# ---------------------------------------------------------------------------------------------


def minutes_path(instance, filename: str) -> str:
    return f"juries/minutes/{instance.session_id}/{filename}"


class Minutes(models.Model):
    """The minutes (procès-verbal) PDF of a session; number 1 at closing, later numbers are addenda."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("numéro"), default=1)
    pdf = models.FileField(_("procès-verbal (PDF)"), upload_to=minutes_path)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    generated_at = models.DateTimeField(_("établi le"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="juries_minutes_number")]

    def __str__(self) -> str:
        return f"PV {self.session} n° {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Minutes are immutable; an addendum is a new row.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Minutes are immutable.")


class Appeal(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    candidacy = models.ForeignKey("journeys.Candidacy", on_delete=models.PROTECT, related_name="jury_appeals")
    lodged_on = models.DateField(_("reçu le"))
    grounds = models.TextField(_("motifs du recours"))
    outcome = models.CharField(
        _("issue"), max_length=8, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_on = models.DateField(_("décidé le"), null=True, blank=True)
    outcome_note = models.TextField(_("motivation"), blank=True)
    outcome_decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="from_appeal"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recours")
        verbose_name_plural = _("recours")
        ordering = ["-lodged_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="pending", outcome_on__isnull=True)
                | (~Q(outcome="pending") & Q(outcome_on__isnull=False)),
                name="juries_appeal_outcome_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="changed") | Q(outcome_decision__isnull=False),
                name="juries_appeal_changed_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidacy} — {self.get_outcome_display()}"

    def owning_branches(self):
        return self.decision.session.owning_branches()
