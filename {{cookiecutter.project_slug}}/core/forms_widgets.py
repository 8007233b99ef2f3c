"""Widgets for the filter bars drawn on every list page.

``RenderedOnceSelect`` and ``RenderedOnceTextInput`` render each distinct
input once per process, with the same HTML as Django's own widgets.
"""

from threading import Lock
from typing import Any, cast

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.safestring import SafeString
from django.utils.translation import get_language

RENDERED_ONCE_LIMIT = 512
_rendered: dict[str, SafeString] = {}
_rendered_lock = Lock()


class RenderedOnceMixin:
    """A widget that renders the same input to the same HTML only once.

    For the filter bars drawn on every list page: Django renders each
    ``<option>`` through a template, which costs more than the rest of a
    row. The HTML depends only on what the key holds; the process keeps the
    latest ``RENDERED_ONCE_LIMIT`` of them.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = cast(forms.Widget, self)
        key = repr(
            (
                type(self),
                widget.template_name,
                name,
                value,
                attrs,
                widget.attrs,
                getattr(self, "choices", None),
                widget.is_required,
                get_language(),
                id(renderer),
            )
        )
        html = _rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)  # type: ignore[misc]
            with _rendered_lock:
                _rendered[key] = html
                if len(_rendered) > RENDERED_ONCE_LIMIT:
                    del _rendered[next(iter(_rendered))]
        return html


class RenderedOnceSelect(RenderedOnceMixin, forms.Select):
    pass


class RenderedOnceTextInput(RenderedOnceMixin, forms.TextInput):
    pass
