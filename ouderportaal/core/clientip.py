"""The visitor's IP address, for rate limits and lockouts.

Behind a reverse proxy every request comes from the proxy: set TRUSTED_PROXY_COUNT to the number of proxies in
front of the portal, and the address is read from X-Forwarded-For (the entry the outermost trusted proxy added).
Without proxies (the default) only REMOTE_ADDR counts: a forwarded header from the visitor is never believed.

A request with fewer entries than proxies did not pass through all of them; then the rightmost entry counts (the
innermost proxy wrote it), never an entry further left, which the visitor may have typed.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            candidate = hops[-count] if len(hops) >= count else hops[-1]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote or None
