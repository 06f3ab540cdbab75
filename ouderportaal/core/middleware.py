"""Response headers Django has no setting for, and addresses no page can have."""

from django.http import Http404

# The portal uses no camera, microphone, location, payment or sensors; a page (or an injected frame) may not ask.
# Passkeys (WebAuthn) stay possible on the portal's own origin.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
        "browsing-topics=()",
        "publickey-credentials-get=(self)",
    ]
)


def permissions_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # No other site may embed the portal's answers (images, scripts, a letter's attachment) in its own page.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware


def refuse_nul_in_path(get_response):
    """An address with a NUL byte (%00) names no page; answered 404 before a view hands it to the database, which
    refuses NUL in text (on PostgreSQL a server error: a letter's or a pupil's public id taken from the address)."""

    def middleware(request):
        if "\x00" in request.path_info:
            raise Http404("Geen pagina")
        return get_response(request)

    return middleware
