"""The project's form renderer writes selects and inputs character for character as Django's templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import override

from cqphub.journeys.forms import CandidacyFilter
from cqphub.web.form_renderer import FormRenderer

CHOICES = [("", "Tous"), ("a&b", 'Café "crème" <b>'), (3, 1234567), ("safe", mark_safe("<em>ok</em>"))]
GROUPED = [("", "—"), ("Nord", [("lille", "Lille"), ("arras", "Arras")]), ("Sud", [("nice", "Nice")])]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"disabled": True, "hidden": False, "data-x": "1 < 2"})
    )
    text = forms.CharField(required=False, max_length=20, help_text="Aide")
    number = forms.DecimalField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    radios = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect, required=False)
    agree = forms.BooleanField(required=False)


VALUES = [
    {},
    {"plain": "a&b", "grouped": "arras", "many": ["3", "safe"], "flagged": "3", "text": 'x "<y>"'},
    {"plain": "3", "number": "1234.5", "day": "2026-11-30", "when": "2026-11-30 10:00", "secret": "a<b"},
    {"email": "a@b.fr", "hidden": "&", "agree": "on", "radios": "nice", "number": Decimal("12.50")},
    {"day": datetime.date(2026, 1, 2), "text": mark_safe("<i>sûr</i>")},
]


def render_all(form) -> list[str]:
    return [field.as_widget(attrs={"class": "form-select", "aria-invalid": "true"}) for field in form] + [
        str(field.as_widget()) for field in form
    ]


def test_the_project_uses_it():
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.fixture
def templates_used(monkeypatch):
    names = []
    original = DjangoTemplates.render

    def spy(self, template_name, context, request=None):
        names.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    return names


def test_selects_and_inputs_skip_the_templates(templates_used):
    form = Everything({"plain": "3"}, renderer=FormRenderer())
    html = str(form["plain"]) + str(form["grouped"]) + str(form["text"]) + str(form["day"])
    assert html.count("<select") == 2 and html.count("<input") == 2
    assert templates_used == []
    str(form["radios"])  # radio lists keep their templates
    assert templates_used == ["django/forms/widgets/radio.html"]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_same_markup_as_the_django_templates(data, language):
    with override(language), override_settings(USE_THOUSAND_SEPARATOR=True):
        fast = render_all(Everything(data or None, renderer=FormRenderer()))
        stock = render_all(Everything(data or None, renderer=DjangoTemplates()))
        initial = Everything(initial=data, renderer=FormRenderer())
        stock_initial = Everything(initial=data, renderer=DjangoTemplates())
        assert [str(f) for f in initial] == [str(f) for f in stock_initial]
    assert fast == stock
    assert "<option" in "".join(fast) and "<input" in "".join(fast)


@pytest.mark.django_db
def test_the_candidacy_filters_render_as_before():
    data = {"route": "vae", "status": "submitted", "created_from": "2025-01-01"}
    fast = CandidacyFilter(data, renderer=FormRenderer())
    stock = CandidacyFilter(data, renderer=DjangoTemplates())
    assert [str(f) for f in fast] == [str(f) for f in stock]
    assert '<option value="vae" selected>' in str(fast["route"])


def test_an_option_with_a_template_of_its_own_goes_through_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"  # any other template

    class Form(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=Custom)

    assert str(Form(renderer=FormRenderer())["pick"]) == str(Form(renderer=DjangoTemplates())["pick"])
