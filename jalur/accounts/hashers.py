"""Argon2id with the parameters OWASP's Password Storage Cheat Sheet recommends as the minimum:
19 MiB of memory, 2 iterations, 1 lane.

Django's defaults (100 MiB, 2 iterations, 8 lanes) cost about 0.25 s of CPU per sign-up or log-in on
a 2-core server, so eight sign-ups a second filled both cores on opening day and a worker hit its
timeout (issue 20). These parameters keep Argon2id's resistance to GPU guessing at the level OWASP
sets, for a fraction of the CPU. The algorithm name stays "argon2": existing hashes still verify and
are rewritten with these parameters at the person's next log-in (Django's `must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
