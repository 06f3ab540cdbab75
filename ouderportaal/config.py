"""Reading configuration from environment variables (used by settings.py only)."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env(name, default=""):
    # NAME_FILE points at a file holding the value (Docker/systemd secrets).
    if path := os.environ.get(f"{name}_FILE"):
        with open(path) as f:
            return f.read().strip()
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def mailer_from_url(url):
    """Turn EMAIL_URL into a Django 6.1 MAILERS entry.

    smtp://user:pass@host:587   plain SMTP (STARTTLS with ?tls=1)
    smtp+tls://…                STARTTLS,  smtp+ssl://… implicit TLS
    console://  locmem://  dummy://
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    simple = {
        "console": "ouderportaal.core.console.ConsoleBackend",  # keeps long links on one line
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if scheme in simple:
        return {"BACKEND": simple[scheme]}
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {scheme!r}")
    query = parse_qs(parts.query)
    options = {
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if scheme in {"smtp+ssl", "smtps"} else 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": scheme == "smtp+tls" or query.get("tls") == ["1"],
        "use_ssl": scheme in {"smtp+ssl", "smtps"},
        "timeout": int(query.get("timeout", ["20"])[0]),
    }
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


def cache_from_url(url):
    """Turn CACHE_URL into a Django CACHES entry.

    locmem://            this process only (the default: one node)
    redis://host:6379/0  shared by every node (sessions, rate limits); rediss:// for TLS
    dummy://             no caching
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "ouderportaal.core.cache.SharedClientRedisCache", "LOCATION": url, "KEY_PREFIX": "op"}
    raise ImproperlyConfigured(f"CACHE_URL: unknown scheme {scheme!r}")


def webauthn_relying_party(site_url, rp_id="", origins=()):
    """Passkeys' relying party: (RP ID, allowed origins) from the portal's address. WebAuthn refuses IP addresses
    as RP ID, so an address in SITE_URL (the demo's http://127.0.0.1:8000) becomes "localhost" on the same port."""
    import ipaddress

    parts = urlsplit(site_url)
    host = parts.hostname or "localhost"
    try:
        ipaddress.ip_address(host)
        host = "localhost"
    except ValueError:
        pass
    port = f":{parts.port}" if parts.port else ""
    return rp_id or host, list(origins) or [f"{parts.scheme}://{host}{port}"]
