"""The address a request comes from, as the log-in throttling counts it.

Behind proxies, ``REMOTE_ADDR`` is the last proxy's address, the same for
everyone. Each of the ``TRUSTED_PROXY_COUNT`` proxies appends the address it
was reached from to ``X-Forwarded-For``; whatever a client put there itself
comes before those entries, so only the ones the proxies added are believed.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address, or ``REMOTE_ADDR`` when the proxies added none."""
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1:
        return remote_addr
    forwarded = request.headers.get("x-forwarded-for", "").split(",")
    if len(forwarded) < count:
        return remote_addr
    candidate = forwarded[-count].strip()
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote_addr
