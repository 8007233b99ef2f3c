"""What the tests ask of every response: the policy headers, and HTML they allow."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.http import HttpResponseBase

# Attributes that load or submit to a URL, which default-src 'self' and
# form-action 'self' keep on this site.
URL_ATTRIBUTES = {
    "src": None,  # every element
    "href": {"link", "base"},
    "action": {"form"},
    "formaction": {"button", "input"},
    "data": {"object"},
    "poster": {"video"},
}


def content_security_policy(response: HttpResponseBase) -> dict[str, list[str]]:
    """The response's enforced policy, directive by directive."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def assert_security_headers(response: HttpResponseBase, *, where: str = "") -> None:
    """The response enforces the site's Content-Security-Policy and Permissions-Policy."""
    policy = content_security_policy(response)
    assert policy.get("default-src") == ["'self'"], where
    assert policy.get("frame-ancestors") == ["'none'"], where
    unsafe = [
        value for values in policy.values() for value in values if "unsafe" in value
    ]
    assert not unsafe, where
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where


class _PolicyViolations(HTMLParser):
    def __init__(self, *, host: str) -> None:
        super().__init__()
        self.host = host
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "style":
            self.found.append("an inline <style> element")
        if tag == "script" and not attributes.get("src"):
            self.found.append("an inline <script> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"a style attribute on <{tag}>")
            elif name.startswith("on"):
                self.found.append(f"an event handler attribute {name}= on <{tag}>")
            elif value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"a javascript: URL in {name}= on <{tag}>")
            elif value and name in URL_ATTRIBUTES:
                tags = URL_ATTRIBUTES[name]
                if (tags is None or tag in tags) and not self._is_own(value):
                    self.found.append(f"{name}={value!r} on <{tag}>")

    def _is_own(self, url: str) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme and parts.scheme not in {"http", "https"}:
            return False
        return not parts.netloc or parts.netloc == self.host


def policy_violations(html: str, *, host: str = "testserver") -> list[str]:
    """What in ``html`` the Content-Security-Policy would block."""
    parser = _PolicyViolations(host=host)
    parser.feed(html)
    parser.close()
    return parser.found
