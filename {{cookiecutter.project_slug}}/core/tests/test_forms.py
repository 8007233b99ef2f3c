from django import forms

from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.forms_widgets import RenderedOnceSelect, RenderedOnceTextInput


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


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=10)
    status = forms.ChoiceField(choices=[("", "Any"), ("a", "A"), ("b", "B")])


class RenderedOnceFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=10, widget=RenderedOnceTextInput)
    status = forms.ChoiceField(
        choices=[("", "Any"), ("a", "A"), ("b", "B")], widget=RenderedOnceSelect
    )


def test_rendered_once_widgets_write_the_html_of_django_widgets():
    for data in ({}, {"q": "x", "status": "b"}, {"q": "y" * 11, "status": "z"}):
        plain, once = FilterForm(data), RenderedOnceFilterForm(data)
        plain.is_valid(), once.is_valid()
        for name in ("q", "status"):
            assert str(once[name]) == str(plain[name])
    assert '<option value="b" selected>B</option>' in str(
        RenderedOnceFilterForm({"status": "b"})["status"]
    )


def test_rendered_once_select_follows_its_choices():
    form = RenderedOnceFilterForm()
    form.fields["status"].choices = [  # type: ignore[attr-defined]
        ("", "Any"),
        ("c", "C"),
    ]
    html = str(form["status"])
    assert '<option value="c">C</option>' in html
    assert "B</option>" not in html
