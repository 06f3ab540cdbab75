"""Response headers Django has no setting for, and the signed-in user without its lazy stand-ins."""

from django.utils.functional import LazyObject

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


def plain_user(get_response):
    """request.user as the account itself rather than Django's lazy stand-ins (the session's, then django-otp's
    around it): a parent page reads it some 50 times after this point, and each read through a stand-in costs about a
    microsecond (docs/benchmarks.md). It loads nothing extra: every request asks for the user anyway (the idle
    timeout)."""

    def middleware(request):
        user = request.user
        while isinstance(user, LazyObject):
            user.is_authenticated  # noqa: B018 - loads the wrapped object
            user = user._wrapped
        request.user = user
        return get_response(request)

    return middleware
