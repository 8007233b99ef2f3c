"""validate_single_line: one line, no NUL."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import validate_single_line


@pytest.mark.parametrize("value", ["", "One line", "tab\tinside", "émoji 🙂"])
def test_one_line_passes(value):
    validate_single_line(value)


@pytest.mark.parametrize(
    "value",
    ["a\nb", "a\rb", "a\r\nb", "end\n", "a\x00b", "a\u2028b", "a\u2029b", "a\x85b"],
)
def test_a_line_break_or_nul_is_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(value)
    assert refused.value.code == "single_line"
