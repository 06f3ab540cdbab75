"""Response headers Django has no setting for."""

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
