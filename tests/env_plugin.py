"""Loaded by pytest (-p) before Django's settings: the environment a test run needs."""

import os

# The settings refuse the development key with DEBUG off; tests get their own throwaway key.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
# Serve static files through the finders: no collectstatic manifest needed in tests.
os.environ.setdefault("MANIFEST_STATIC", "0")
