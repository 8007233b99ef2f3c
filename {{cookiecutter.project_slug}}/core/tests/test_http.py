import pytest
from django.http import Http404

from core.http import found_or_404


def test_found_or_404_returns_what_the_selector_found():
    value = object()
    assert found_or_404(value, name="task") is value


def test_found_or_404_names_the_kind_of_object_in_the_404():
    with pytest.raises(Http404, match=r"^No task matches the given query\.$"):
        found_or_404(None, name="task")


@pytest.mark.parametrize("falsy", [0, "", []])
def test_found_or_404_keeps_falsy_values_that_are_not_none(falsy):
    assert found_or_404(falsy, name="thing") == falsy
