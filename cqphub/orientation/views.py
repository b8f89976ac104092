"""The orientation journey (thin views): four short steps, then the result page.

Every answer is POSTed and kept in the session (security review M4): no age, disability, benefit or
employer travels in a URL, so none lands in access logs or browser history. The result can be shared
through a signed link that holds only what the person chose to share (`share` → `shared`).
"""

from __future__ import annotations

from datetime import date

from django.core import signing
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cqphub.orientation import selectors, summary
from cqphub.orientation.forms import (
    LEVEL_CHOICES,
    EmployerSearchForm,
    ShareForm,
    SituationForm,
    StatusForm,
    TargetSearchForm,
)
from cqphub.orientation.labels import BENEFIT_LABELS, CONTRACT_LABELS, STATUS_LABELS
from cqphub.orientation.services import OrientationError, UnknownCertification, orient, parse_on, person_from

SESSION_KEY = "orientation"
SHARE_SALT = "cqphub.orientation.share"
SHARE_MAX_AGE = 60 * 60 * 24 * 90  # a shared link works for 90 days
SITUATION_KEYS = (
    "age",
    "contract",
    "qualification_level",
    "disability",
    "benefits",
    "low_qualified",
    "part_time_below_half",
    "former_cui",
    "esat",
    "manager",
    "experience_months",
)
STEPS = [
    ("orientation:start", gettext_lazy("Qui êtes-vous ?")),
    ("orientation:situation", gettext_lazy("Votre situation")),
    ("orientation:employer", gettext_lazy("Votre employeur")),
    ("orientation:target", gettext_lazy("Votre objectif")),
    ("orientation:result", gettext_lazy("Résultat")),
]


def _answers(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _save(request: HttpRequest, **changes) -> dict:
    answers = _answers(request)
    for key, value in changes.items():
        if value in (None, "", [], False):
            answers.pop(key, None)
        else:
            answers[key] = value
    request.session[SESSION_KEY] = answers
    return answers


def _context(step: int, **extra) -> dict:
    steps = [
        {"number": i + 1, "title": str(title), "current": i == step, "done": i < step, "url": reverse(name)}
        for i, (name, title) in enumerate(STEPS)
    ]
    return {"steps": steps, "step": steps[step], "step_count": len(STEPS), **extra}


def person_data(answers: dict) -> dict:
    """The engine's person from the journey's answers (a public agent is a public-sector employee)."""
    data = {key: answers[key] for key in SITUATION_KEYS if answers.get(key) not in (None, "", [], False)}
    status = answers.get("status")
    if status == "public_agent":
        data.update(status="employee", sector="public")
    elif status:
        data["status"] = status
    if answers.get("employer_idcc"):
        data["employer_idcc"] = answers["employer_idcc"]
    return data


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest):
    code = request.GET.get("code", "").strip().upper()
    if code and request.method == "GET":  # from a certification page: the code is not personal
        _save(request, code=code[:20], trade=None)
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            _save(request, status=form.cleaned_data["status"])
            return redirect("orientation:situation")
        status = 400
    else:
        form, status = StatusForm(initial={"status": _answers(request).get("status")}), 200
    return render(request, "orientation/start.html", _context(0, form=form), status=status)


@require_http_methods(["GET", "POST"])
def situation(request: HttpRequest):
    answers = _answers(request)
    if answers.get("status") not in STATUS_LABELS:
        return redirect("orientation:start")
    if request.method == "POST":
        form = SituationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            _save(request, **{key: data.get(key) for key in SITUATION_KEYS})
            return redirect("orientation:employer")
        status = 400
    else:
        form, status = SituationForm(initial={key: answers.get(key) for key in SITUATION_KEYS}), 200
    employed = answers["status"] in ("employee", "apprentice", "public_agent")
    return render(
        request,
        "orientation/situation.html",
        _context(1, form=form, employed=employed),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def employer(request: HttpRequest):
    answers = _answers(request)
    if answers.get("status") not in STATUS_LABELS:
        return redirect("orientation:start")
    agreements, search = [], EmployerSearchForm()
    if request.method == "POST" and "choose" in request.POST:
        idcc = request.POST.get("employer_idcc", "").strip()
        if idcc and not (idcc.isdigit() and len(idcc) <= 4):
            idcc = ""
        _save(request, employer_idcc=idcc.zfill(4) if idcc else None)
        return redirect("orientation:target")
    if request.method == "POST":
        search = EmployerSearchForm(request.POST)
        if search.is_valid():
            agreements = selectors.find_agreements(search.cleaned_data["agreement_q"])
    chosen = answers.get("employer_idcc", "")
    return render(
        request,
        "orientation/employer.html",
        _context(
            2,
            search=search,
            searched=search.is_bound,
            agreements=agreements,
            chosen=chosen,
            chosen_title=selectors.agreement_title(chosen) if chosen else None,
        ),
    )


@require_http_methods(["GET", "POST"])
def target(request: HttpRequest):
    answers = _answers(request)
    if answers.get("status") not in STATUS_LABELS:
        return redirect("orientation:start")
    hits, search, query = [], TargetSearchForm(), ""
    if request.method == "POST" and "choose" in request.POST:
        code = request.POST.get("code", "").strip().upper()[:20]
        trade = request.POST.get("trade", "").strip()[:200]
        if code or trade:
            _save(request, code=code or None, trade=None if code else trade)
            return redirect("orientation:result")
    if request.method == "POST":
        search = TargetSearchForm(request.POST)
        if search.is_valid():
            query = search.cleaned_data["target_q"]
            hits = selectors.find_certifications(query, limit=15)
    return render(
        request,
        "orientation/target.html",
        _context(
            3,
            search=search,
            query=query,
            hits=hits,
            preselected=answers.get("code", ""),
            chosen_trade=answers.get("trade", ""),
        ),
    )


def _answer_rows(answers: dict) -> list[dict]:
    """Every answer the person gave, with the step where it can be changed."""
    situation_url, employer_url, target_url = (
        reverse("orientation:situation"),
        reverse("orientation:employer"),
        reverse("orientation:target"),
    )
    rows = [
        {
            "label": _("Situation"),
            "value": STATUS_LABELS.get(answers.get("status"), ""),
            "url": reverse("orientation:start"),
        }
    ]
    levels = dict(LEVEL_CHOICES)
    values = {
        "age": lambda v: _("%(age)s ans") % {"age": v},
        "contract": lambda v: CONTRACT_LABELS.get(v, v),
        "qualification_level": lambda v: levels.get(str(v), v),
        "benefits": lambda v: ", ".join(str(BENEFIT_LABELS.get(b, b)) for b in v),
        "experience_months": lambda v: _("%(months)s mois") % {"months": v},
    }
    labels = {key: field.label for key, field in SituationForm.base_fields.items()}
    for key in SITUATION_KEYS:
        value = answers.get(key)
        if value in (None, "", [], False):
            continue
        shown = values[key](value) if key in values else _("oui")
        rows.append({"label": labels[key], "value": shown, "url": situation_url})
    idcc = answers.get("employer_idcc")
    title = selectors.agreement_title(idcc) if idcc else None
    rows.append(
        {
            "label": _("Convention collective"),
            "value": f"IDCC {idcc}" + (f" — {title}" if title else "") if idcc else _("non renseignée"),
            "url": employer_url,
        }
    )
    aim = answers.get("code") or (
        _("les CQP du métier « %(trade)s »") % {"trade": answers["trade"]} if answers.get("trade") else ""
    )
    rows.append({"label": _("Objectif"), "value": aim, "url": target_url})
    return rows


def _evaluate(answers: dict, on_value) -> tuple:
    """(orientation, errors): errors are translated sentences, never the engine's raw message."""
    errors = []
    try:
        person = person_from(person_data(answers))
    except OrientationError:
        return None, None, [_("Certaines réponses ne sont pas valides : reprenez le parcours.")]
    try:
        on = parse_on(on_value)
    except OrientationError:
        return None, person, [_("La date doit s'écrire AAAA-MM-JJ, par exemple 2026-06-01.")]
    code, trade = answers.get("code", ""), answers.get("trade", "")
    if not code and not trade:
        return None, person, [_("Choisissez une certification ou indiquez un métier.")]
    try:
        return orient(person=person, on=on, code=code or None, trade=trade), person, errors
    except UnknownCertification as exc:
        return None, person, [_("La certification %(code)s n'est pas dans le registre.") % {"code": exc.code}]
    except OrientationError:
        return (
            None,
            person,
            [
                _(
                    "Nous ne pouvons pas répondre pour cette date : le livre des règles commence le 1er janvier 2019."
                )
            ],
        )


def _results(orientation, person) -> list[dict]:
    return [
        {
            "item": item,
            "options": summary.options(item.findings, person),
            "not_applicable": summary.not_applicable(item.findings),
        }
        for item in orientation.results
    ]


def result(request: HttpRequest):
    answers = _answers(request)
    if answers.get("status") not in STATUS_LABELS:
        return redirect("orientation:start")
    orientation, person, errors = _evaluate(answers, request.GET.get("on"))
    return render(
        request,
        "orientation/result.html",
        _context(
            4,
            orientation=orientation,
            results=_results(orientation, person) if orientation else [],
            person=person,
            answer_rows=_answer_rows(answers),
            errors=errors,
            share_form=ShareForm(),
            shared=False,
        ),
        status=400 if errors else 200,
    )


@require_POST
def share(request: HttpRequest):
    """A link that holds only what the person chose to share: the target always, the rest if ticked."""
    answers = _answers(request)
    if answers.get("status") not in STATUS_LABELS:
        return redirect("orientation:start")
    form = ShareForm(request.POST)
    form.is_valid()
    chosen = {key: answers[key] for key in ("code", "trade") if answers.get(key)}
    if request.POST.get("on"):
        chosen["on"] = request.POST["on"][:10]
    if form.cleaned_data.get("include_situation"):
        chosen["status"] = answers["status"]
        chosen.update(
            {key: answers[key] for key in SITUATION_KEYS if answers.get(key) not in (None, "", [], False)}
        )
    if form.cleaned_data.get("include_employer") and answers.get("employer_idcc"):
        chosen["employer_idcc"] = answers["employer_idcc"]
    token = signing.dumps(chosen, salt=SHARE_SALT, compress=True)
    return HttpResponseRedirect(f"{reverse('orientation:shared', args=[token])}#share-link")


def shared(request: HttpRequest, token: str):
    """A shared result: only what was shared; without a situation, the general answer for anyone."""
    try:
        answers = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
    except signing.BadSignature:
        return render(
            request,
            "orientation/result.html",
            _context(4, errors=[_("Ce lien de partage n'est pas valide ou a expiré.")], shared=True),
            status=404,
        )
    general = "status" not in answers
    if general:
        answers = {**answers, "status": "job_seeker"}  # placeholder, not shown: see `general` below
    orientation, person, errors = _evaluate(answers, answers.get("on"))
    if orientation and general:
        from cqphub.rules import evaluate

        for item in orientation.results:
            item.findings = evaluate(item.facts, None, orientation.on)
    return render(
        request,
        "orientation/result.html",
        _context(
            4,
            orientation=orientation,
            results=[] if general or not orientation else _results(orientation, person),
            person=None if general else person,
            answer_rows=[] if general else _answer_rows(answers),
            errors=errors,
            shared=True,
            general=general,
            share_url=request.build_absolute_uri(),
            today=date.today(),
        ),
        status=400 if errors else 200,
    )
