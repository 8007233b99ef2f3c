"""Validators that the apps' forms share."""

from django.core.validators import RegexValidator

# What ends a line for Python's str.splitlines(), and NUL, which PostgreSQL
# text cannot hold.
LINE_BREAKS = r"[\x00\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]"

validate_single_line = RegexValidator(
    LINE_BREAKS,
    inverse_match=True,
    message="Write this on one line: line breaks and NUL characters are not allowed.",
    code="single_line",
)
