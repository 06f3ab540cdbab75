import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ouderportaal.config import cache_from_url, mailer_from_url

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "ouders.example.nl",
    "SITE_URL": "https://ouders.example.nl",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.nl:587",
    "DEBUG": "",
}


def manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_on_default_secret_key_with_debug_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_smtp_url_with_starttls():
    mailer = mailer_from_url("smtp+tls://user%40x:p%3Ass@mail.example.nl:587")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = mailer["OPTIONS"]
    assert (options["host"], options["port"], options["username"], options["password"]) == (
        "mail.example.nl",
        587,
        "user@x",
        "p:ss",
    )
    assert options["use_tls"] and not options["use_ssl"]


def test_smtp_url_defaults_and_ssl():
    assert mailer_from_url("smtp://localhost")["OPTIONS"]["port"] == 25
    ssl = mailer_from_url("smtp+ssl://mail.example.nl")["OPTIONS"]
    assert ssl["use_ssl"] and ssl["port"] == 465


def test_console_url_and_unknown_scheme():
    assert mailer_from_url("console://")["BACKEND"] == "ouderportaal.core.console.ConsoleBackend"
    with pytest.raises(ImproperlyConfigured):
        mailer_from_url("carrier-pigeon://loft")


def test_errors_are_logged_to_stderr_with_debug_off():
    # With DEBUG off Django logs nothing unless LOGGING says so: server errors must reach stderr.
    code = "import logging, django; django.setup();logging.getLogger('django.request').error('boom: a server error')"
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "ouderportaal.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "ERROR django.request: boom: a server error" in result.stderr


def test_cache_url_local_memory_redis_and_unknown():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://127.0.0.1:6379/3")
    assert redis["BACKEND"] == "ouderportaal.core.cache.SharedClientRedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/3"
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("memcached://127.0.0.1")


def test_sessions_read_through_a_shared_cache_and_postgres_prepares_statements():
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"
    )
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
        "DJANGO_SETTINGS_MODULE": "ouderportaal.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code], env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["django.contrib.sessions.backends.cached_db", "2"], out.stderr
