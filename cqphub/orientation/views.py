"""The orientation journey (thin views): four short steps, then a printable, shareable result page.

Every answer travels in the query string, so the result's link is the whole state: no account, no
session, and no personal data in the link beyond what the person typed.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqphub.orientation import selectors
from cqphub.orientation.labels import BENEFIT_LABELS, STATUS_LABELS
from cqphub.orientation.services import OrientationError, UnknownCertification, orient, parse_on, person_from

PERSON_KEYS = (
    "status",
    "age",
    "disability",
    "low_qualified",
    "manager",
    "employer_idcc",
    "experience_months",
)
STEPS = [
    ("orientation:start", gettext_lazy("Qui êtes-vous ?")),
    ("orientation:situation", gettext_lazy("Votre situation")),
    ("orientation:employer", gettext_lazy("Votre employeur")),
    ("orientation:target", gettext_lazy("Votre objectif")),
    ("orientation:result", gettext_lazy("Résultat")),
]
JOURNEY_KEYS = (*PERSON_KEYS, "benefits", "code", "trade", "on")


def _carried(request: HttpRequest, *, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The answers given so far, as hidden fields for the next step."""
    out = []
    for key in JOURNEY_KEYS:
        if key in drop:
            continue
        for value in request.GET.getlist(key):
            if value != "":
                out.append((key, value))
    return out


def _person_data(request: HttpRequest) -> dict:
    data = {key: request.GET[key] for key in PERSON_KEYS if request.GET.get(key, "") != ""}
    benefits = [b for b in request.GET.getlist("benefits") if b]
    if benefits:
        data["benefits"] = benefits
    return data


def _context(request: HttpRequest, step: int, **extra) -> dict:
    steps = [
        {"number": i + 1, "title": str(title), "current": i == step, "done": i < step}
        for i, (_name, title) in enumerate(STEPS)
    ]
    return {"steps": steps, "step": steps[step], "step_count": len(STEPS), **extra}


def start(request: HttpRequest):
    return render(
        request,
        "orientation/start.html",
        _context(
            request,
            0,
            statuses=list(STATUS_LABELS.items()),
            selected=request.GET.get("status", ""),
            carried=_carried(request, drop=("status",)),
        ),
    )


def situation(request: HttpRequest):
    if request.GET.get("status") not in STATUS_LABELS:
        return render(
            request,
            "orientation/start.html",
            _context(
                request,
                0,
                statuses=list(STATUS_LABELS.items()),
                selected="",
                carried=_carried(request, drop=("status",)),
                error=_("Choisissez la situation qui vous correspond."),
            ),
            status=400 if "status" in request.GET else 200,
        )
    return render(
        request,
        "orientation/situation.html",
        _context(
            request,
            1,
            values=request.GET,
            benefits=[(k, v, k in request.GET.getlist("benefits")) for k, v in BENEFIT_LABELS.items()],
            carried=_carried(
                request,
                drop=("age", "disability", "benefits", "low_qualified", "manager", "experience_months"),
            ),
        ),
    )


def employer(request: HttpRequest):
    query = request.GET.get("agreement_q", "").strip()
    agreements = selectors.find_agreements(query) if query else []
    chosen = request.GET.get("employer_idcc", "")
    return render(
        request,
        "orientation/employer.html",
        _context(
            request,
            2,
            query=query,
            agreements=agreements,
            chosen=chosen,
            chosen_title=selectors.agreement_title(chosen) if chosen else None,
            carried=_carried(request, drop=("employer_idcc",)),
        ),
    )


def target(request: HttpRequest):
    query = request.GET.get("target_q", "").strip()
    hits = selectors.find_certifications(query, limit=15) if query else []
    return render(
        request,
        "orientation/target.html",
        _context(
            request,
            3,
            query=query,
            hits=hits,
            preselected=request.GET.get("code", "").strip().upper(),
            carried=_carried(request, drop=("code", "trade")),
            carried_all=_carried(request, drop=("trade",)),
        ),
    )


def result(request: HttpRequest):
    errors = []
    try:
        person = person_from(_person_data(request))
    except OrientationError as exc:
        person, errors = None, [str(exc)]
    try:
        on = parse_on(request.GET.get("on"))
    except OrientationError as exc:
        on, errors = None, [*errors, str(exc)]
    code = request.GET.get("code", "").strip()
    trade = request.GET.get("trade", "").strip()
    if not code and not trade:
        errors.append(_("Choisissez une certification ou indiquez un métier."))
    orientation = None
    if not errors:
        try:
            orientation = orient(person=person, on=on, code=code or None, trade=trade)
        except UnknownCertification as exc:
            errors.append(_("La certification %(code)s n'est pas dans le registre.") % {"code": exc.code})
        except OrientationError as exc:
            errors.append(str(exc))
    share_url = request.build_absolute_uri(f"{reverse('orientation:result')}?{request.GET.urlencode()}")
    return render(
        request,
        "orientation/result.html",
        _context(
            request,
            4,
            orientation=orientation,
            person=person,
            status_label=STATUS_LABELS.get(person.status.value) if person else None,
            agreement=selectors.agreement_title(person.employer_idcc)
            if person and person.employer_idcc
            else None,
            code=code,
            trade=trade,
            errors=errors,
            share_url=share_url,
            carried=_carried(request),
            edit_query=request.GET.urlencode(),
        ),
        status=400 if errors else 200,
    )
