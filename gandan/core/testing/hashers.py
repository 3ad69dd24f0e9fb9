"""A password hasher for tests only: PBKDF2 with one iteration.

Its hashes carry the ``pbkdf2_sha256`` label and their iteration count, so the production
hashers (which list PBKDF2 after Argon2) still verify them — the browser tests' server, a
separate process with the production settings, signs in users the test process created.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
