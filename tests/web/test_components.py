"""The shared page components: each tag renders, escapes, and the style guide shows them all."""

import csv
import io

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cqphub.ui.tables import Column, Table, csv_rows, page_links, paginate, safe_cell


def render(source: str, **context) -> str:
    request = context.pop("request", None) or RequestFactory().get("/espace/x/")
    return Template("{% load components %}" + source).render(Context({"request": request, **context}))


def test_page_header_breadcrumb_marks_the_current_page_and_reverses_url_names():
    html = render(
        '{% pairs "Accueil" "web:home" "Registre" "/registre/" "Ici" "" as c %}{% page_header t crumbs=c %}',
        t="T<i>",
    )
    assert '<a href="/">Accueil</a>' in html and '<a href="/registre/">Registre</a>' in html
    assert 'aria-current="page">Ici</li>' in html
    assert '<h1 class="cq-page-title">T&lt;i&gt;' in html  # escaped


@pytest.mark.parametrize("tone", ["info", "warning", "error", "success", "neutral"])
def test_badge_and_banner_tones(tone):
    assert f"cq-badge--{tone}" in render('{% status_badge "x" tone=t %}', t=tone)
    banner = render('{% banner "msg" tone=t title="T" url="web:home" link="go" %}', t=tone)
    assert f"cq-banner--{tone}" in banner and '<a href="/">go</a>' in banner
    assert "visually-hidden" in banner  # the tone is said in words, not only in colour


def test_unknown_tone_is_neutral_and_error_banner_is_announced_when_live():
    assert "cq-badge--neutral" in render('{% status_badge "x" tone="purple" %}')
    assert 'role="alert"' in render('{% banner "x" tone="error" live=True %}')
    assert 'role="status"' in render('{% banner "x" tone="success" live=True %}')
    assert "role=" not in render('{% banner "x" tone="error" %}')


def test_summary_card_next_step_empty_state():
    assert 'cq-card-value">3<' in render('{% summary_card "Habilitations" value=3 url="/x/" label="Voir" %}')
    assert 'cq-card-value">0<' in render('{% summary_card "Habilitations" value=0 %}')  # zero is a value
    step = render('{% next_step "Écrire" text="t" url="/go/" label="Commencer" %}')
    assert 'href="/go/"' in step and "Commencer" in step
    post = render('{% next_step "Publier" url="/p/" method="post" %}', csrf_token="tok")
    assert 'method="post"' in post and "<button" in post
    empty = render('{% empty_state "Rien" text="pourquoi" url="/a/" label="Agir" %}')
    assert "Rien" in empty and 'href="/a/"' in empty


def test_confirmation_posts_with_csrf_and_offers_a_way_out():
    html = render(
        '{% confirmation "Supprimer ?" action="/del/" cancel="/back/" confirm_label="Supprimer" %}',
        csrf_token="tok123",
    )
    assert 'action="/del/"' in html and 'method="post"' in html and 'value="tok123"' in html
    assert 'name="confirmed" value="1"' in html and 'href="/back/"' in html


class SampleForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="aide")
    scope = forms.ChoiceField(label="Portée", widget=forms.RadioSelect, choices=[("a", "A"), ("b", "B")])
    ok = forms.BooleanField(label="OK", required=False)

    def clean(self):
        raise forms.ValidationError("global")


def test_form_errors_summary_links_to_fields_and_fields_are_described():
    form = SampleForm({"name": ""})
    form.is_valid()
    summary = render("{% form_errors form %}", form=form)
    assert 'role="alert"' in summary and 'href="#id_name"' in summary and "global" in summary
    assert "3 erreurs" in summary
    fields = render("{% render_form form %}", form=form)
    assert "<fieldset" in fields and "<legend" in fields  # a radio group has a legend, not a label for=""
    assert 'aria-describedby="id_name_helptext id_name_error"' in fields and 'aria-invalid="true"' in fields
    assert "form-check-input" in fields
    assert render("{% form_errors form %}", form=SampleForm()).strip() == ""  # unbound: nothing


def test_tabs_mark_the_current_path():
    request = RequestFactory().get("/b/")
    html = render('{% pairs "A" "/a/" "B" "/b/" as t %}{% tabs t label="Sections" %}', request=request)
    assert '<a class="nav-link active" href="/b/" aria-current="page">B</a>' in html
    assert 'href="/a/" aria-current' not in html


def test_timeline_and_definition_list():
    import datetime as dt

    html = render("{% timeline ev %}", ev=[{"when": dt.date(2026, 3, 1), "who": "Claire", "what": "Créée"}])
    assert 'datetime="2026-03-01' in html and "Claire" in html and "Créée" in html
    assert "Aucun" in render('{% timeline ev empty="Aucun" %}', ev=[])
    dl = render('{% pairs "Niveau" "4" "Vide" "" as f %}{% definition_list f %}')
    assert "<dt>Niveau</dt><dd>4</dd>" in dl and "Vide" not in dl


def test_csv_cells_that_look_like_formulas_are_neutralised():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+33 1") == "'+33 1" and safe_cell("@SUM") == "'@SUM" and safe_cell("-2+3") == "'-2+3"
    assert safe_cell(-3) == -3 and safe_cell("Lille") == "Lille" and safe_cell(None) == ""
    lines = "".join(csv_rows([Column("Nom", "name")], [{"name": "=1+1"}, {"name": "Nord"}]))
    rows = list(csv.reader(io.StringIO(lines.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Nom"], ["'=1+1"], ["Nord"]]


def test_table_paginates_keeps_the_query_and_links_csv():
    request = RequestFactory().get("/l/", {"state": "active", "page": "2"})
    rows = [{"n": i} for i in range(60)]
    table = Table(request, rows, [Column("N", "n", numeric=True)], caption="Lignes", csv=True)
    assert table.page.number == 2 and table.count == 60 and len(table.rows) == 25
    assert table.csv_url == "?state=active&format=csv"
    html = render("{% data_table table %}", table=table, request=request)
    assert "?state=active&amp;page=3" in html and 'aria-current="page">2<' in html and "<caption" in html
    assert paginate(RequestFactory().get("/", {"page": "zz"}), rows).number == 1
    links = page_links(
        RequestFactory().get("/"), paginate(RequestFactory().get("/", {"page": 1}), list(range(500)))
    )
    assert any(link["label"] == "…" for link in links)


def test_empty_table_shows_the_empty_state():
    table = Table(RequestFactory().get("/"), [], [Column("N", "n")], caption="x", empty_title="Aucun centre")
    assert "Aucun centre" in render("{% data_table table %}", table=table)


@pytest.mark.django_db
def test_style_guide_shows_every_component(client, django_user_model):
    url = reverse("web:styleguide")
    assert client.get(url).status_code == 302  # back office: login first
    client.force_login(django_user_model.objects.create_user(email="sg@example.org", password="x-12345678"))
    html = client.get(url).content.decode()
    for marker in (
        "cq-page-header",
        "cq-badge--warning",
        "cq-banner--error",
        "cq-card",
        "cq-next-step",
        "cq-data-table",
        "cq-empty",
        "cq-confirm",
        "cq-error-summary",
        "cq-tabs",
        "cq-timeline",
        "cq-dl",
        "<fieldset",
    ):
        assert marker in html, marker
    response = client.get(url, {"format": "csv", "q": "formule"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv") and "'=FORMULE" in body


@pytest.mark.django_db
def test_messages_render_as_banners_with_error_announced(client, django_user_model):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    html = render(
        "{% for m in ms %}{% banner m tone=m|message_tone live=True %}{% endfor %}",
        ms=[Message(constants.ERROR, "Refusé"), Message(constants.SUCCESS, "Fait")],
    )
    assert 'cq-banner--error" role="alert"' in html and 'cq-banner--success" role="status"' in html


# what `{% data_table %}` used to loop over in its template, before `{% table_rows %}` wrote it in Python
TEMPLATE_ROWS = (
    '{% for row in table.rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{% else %}'
    '<td{% if cell.numeric %} class="text-end"{% endif %}>{% endif %}{% if cell.tone %}'
    '<span class="badge cq-badge cq-badge--{{ cell.tone }}">{{ cell.text }}</span>{% elif cell.url %}'
    '<a href="{{ cell.url }}">{{ cell.text }}</a>{% else %}{{ cell.text }}{% endif %}'
    "{% if forloop.first %}</th>{% else %}</td>{% endif %}{% endfor %}</tr>{% endfor %}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_table_rows_write_what_the_template_loop_wrote(language):
    from datetime import date, datetime
    from decimal import Decimal

    from django.test import override_settings
    from django.utils import translation
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    rows = [
        {
            "name": 'A&B "<x>"',
            "when": date(2026, 11, 30),
            "n": 1234567,
            "tone": "success",
            "url": "/a?b=1&c=2",
        },
        {"name": mark_safe("<em>sûr</em>"), "when": None, "n": Decimal("12.5"), "tone": "", "url": ""},
        {
            "name": gettext_lazy("Candidatures"),
            "when": datetime(2026, 1, 2, 3, 4),
            "n": 0.5,
            "tone": "x<y",
            "url": "",
        },
    ]
    columns = [
        Column("Nom", "name", url=lambda r: r["url"]),
        Column("Quand", "when"),
        Column("N", "n", numeric=True),
        Column("État", "name", tone=lambda r: r["tone"]),
        Column("Lien", "name", url=lambda r: r["url"] and r["url"] + "<"),
    ]
    table = Table(RequestFactory().get("/espace/x/"), rows, columns, caption="T")
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=True):
        fast = render("{% table_rows table.rows %}", table=table)
        slow = Template(TEMPLATE_ROWS).render(Context({"table": table}))
    assert fast == slow
    assert fast.count("<tr>") == 3 and "&lt;x&gt;" in fast and "<em>sûr</em>" in fast
