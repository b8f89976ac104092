"""`form_status`: the one rule for the status of a page that shows forms."""

from django import forms
from django.test import RequestFactory

from cqphub.ui.responses import form_status


class _NameForm(forms.Form):
    name = forms.CharField()


def test_a_get_is_200_and_a_post_back_on_the_page_is_400():
    factory = RequestFactory()
    assert form_status(factory.get("/")) == 200
    assert form_status(factory.post("/")) == 400


def test_with_forms_a_post_is_400_only_when_one_of_them_has_errors():
    post = RequestFactory().post("/")
    assert form_status(post, _NameForm({"name": ""})) == 400
    assert form_status(post, None, _NameForm({"name": "Léa"})) == 200
    assert form_status(RequestFactory().get("/"), _NameForm({"name": ""})) == 200
