"""How a service's refusal reaches the form that fed it.

A service raises a ``DomainError`` kind, optionally naming the field it is
about. The view shows it next to that field when the form has one, and above
the form otherwise, so no refusal is ever lost or turned into a server error.
"""

from django import forms

from core.exceptions import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show ``error`` on ``form``: on its field if the form has it, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
