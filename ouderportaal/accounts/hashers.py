"""The project's password hasher: Argon2id with OWASP's recommended parameters instead of Django's heavier default.

Django's Argon2PasswordHasher costs 100 MiB of memory, 2 passes and 8 lanes a check (about 100 ms of a core). The
OWASP Password Storage Cheat Sheet recommends for argon2id at least m=19 MiB (19,456 KiB), t=2, p=1. Those are the
parameters here: a check costs a fraction of Django's default, so an evening's login peak (a board's parents opening
the results at once) no longer queues every other request behind the logins; docs/security.md gives the trade-off and
docs/benchmarks.md the measured costs. The algorithm name stays "argon2": existing hashes keep verifying, and
Django re-hashes a password with these parameters at its next successful login (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
