from django import forms

from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error


class NameForm(forms.Form):
    name = forms.CharField()


def _valid_form() -> NameForm:
    form = NameForm({"name": "Acme"})
    assert form.is_valid()
    return form


def test_an_error_about_a_field_of_the_form_is_shown_on_that_field():
    form = _valid_form()
    add_domain_error(form, ConflictError("Acme is taken.", field="name"))
    assert form.errors == {"name": ["Acme is taken."]}


def test_an_error_about_a_field_the_form_lacks_is_shown_above_the_form():
    form = _valid_form()
    add_domain_error(form, DomainError("Slug is taken.", field="slug"))
    assert form.non_field_errors() == ["Slug is taken."]
    assert "slug" not in form.errors


def test_an_error_about_no_field_is_shown_above_the_form():
    form = _valid_form()
    add_domain_error(form, DomainError("Refused."))
    assert form.non_field_errors() == ["Refused."]
