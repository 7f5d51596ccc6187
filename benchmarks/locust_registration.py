"""Opening day under locust (issue 20): people arrive at a rising rate and register step by step;
the yardstick (a logged-in no-op POST through the same stack) is driven the same way on its own.

Run by benchmarks/bench_opening_day.py, which prepares the server and the data file; by hand:

    JALUR_LOCUST_DATA=data.json .venv/bin/locust -f benchmarks/locust_registration.py --headless \\
        --host http://127.0.0.1:8000 Registrant      # or Yardstick

Each locust user stands for a stream of people: on average every `JALUR_LOCUST_PACING` seconds
(pacing, not think time, so a slow answer does not lower the arrival rate) a new person signs up
(the account step, its password hashed with Argon2id), then saves identity, address, education and
job wishes, each a POST that must answer with the redirect to the next step.

When the people of a stream arrive is `JALUR_LOCUST_ARRIVALS`:
- `poisson` (the default): each stream starts at a random moment within its first pacing interval
  and its people then arrive at exponentially distributed gaps, so all streams together are a
  Poisson process (people who do not coordinate with each other, as on an opening day);
- `even`: a random start, then exactly one pacing interval apart;
- `together`: every stream of a stage starts at once, then exactly one pacing interval apart, so
  a stage's people arrive in one burst every interval (what this file did before 2026-12-08:
  with 20 streams that is 20 sign-ups in the same instant every 10 s, not 2 a second). The load shape raises the number
of users stage by stage, so the arrival rate rises by `JALUR_LOCUST_STEP_RATE` people (or no-op
posts) a second per stage; each stage's requests per second, p95 and failures are written to
`JALUR_LOCUST_RESULT` when the run ends. The run stops after two stages over the p95 limit.
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

from locust import HttpUser, LoadTestShape, events, task

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from bench_registration_people import (  # noqa: E402
    CSRF,
    NEXT_STEP,
    STEP_FIELDS,
    account_body,
    client_address,
    person,
    step_body,
)

DATA = json.loads(Path(os.environ.get("JALUR_LOCUST_DATA", "locust-data.json")).read_text())
PACING = float(os.environ.get("JALUR_LOCUST_PACING", "10"))
STAGE_SECONDS = int(os.environ.get("JALUR_LOCUST_STAGE_SECONDS", "30"))
STEP_RATE = float(os.environ.get("JALUR_LOCUST_STEP_RATE", "1"))
MAX_STAGES = int(os.environ.get("JALUR_LOCUST_MAX_STAGES", "30"))
P95_LIMIT_MS = 300
PEOPLE = itertools.count(int(os.environ.get("JALUR_LOCUST_FIRST_PERSON", "0")))
STEPS = list(STEP_FIELDS)
ARRIVALS = os.environ.get("JALUR_LOCUST_ARRIVALS", "poisson")
if ARRIVALS not in ("poisson", "even", "together"):
    raise SystemExit(f"JALUR_LOCUST_ARRIVALS: poisson, even or together, not {ARRIVALS!r}")
STREAMS = itertools.count()


class Stream(HttpUser):
    """A user whose runs start on a schedule (`ARRIVALS`, `interval` seconds apart on average),
    whatever the answers' times: an open arrival process, as people arriving are."""

    abstract = True
    interval = PACING

    def on_start(self):
        self.random = random.Random(next(STREAMS))  # the same schedule on every run
        if ARRIVALS != "together":
            # locust patches the standard library for gevent: this sleep yields to other users
            time.sleep(self.random.uniform(0, self.interval))
        self.due = time.monotonic()

    def wait_time(self):
        if ARRIVALS == "poisson":
            self.due += self.random.expovariate(1 / self.interval)
        else:
            self.due += self.interval
        return max(0.0, self.due - time.monotonic())


def _post(user, name: str, path: str, body: dict, address: str, expected: str):
    """POST without following the redirect; the response, or None (a failure) unless it is the
    redirect to `expected`."""
    with user.client.post(
        path,
        data=body,
        name=name,
        headers={"X-Forwarded-For": address, "Referer": user.host + path},
        allow_redirects=False,
        catch_response=True,
    ) as response:
        where = response.headers.get("Location", "")
        if response.status_code == 302 and where == expected:
            response.success()
            return response
        response.failure(f"{response.status_code} {where or response.text[:200]}")
        return None


class Registrant(Stream):
    """A stream of people registering themselves, one every PACING seconds on average."""

    @task
    def register(self):
        number = next(PEOPLE)
        data = person(number, DATA["villages"], DATA["job_type"])
        address = client_address(number)
        self.client.cookies.clear()
        self.client.cookies.set("csrftoken", CSRF)
        signed_up = _post(
            self,
            "account",
            "/pencaker/daftar/",
            account_body(number, data),
            address,
            "/pencaker/daftar/identitas/",
        )
        if signed_up is None:
            return
        # logging in gave a new session and a new CSRF secret (Django rotates it at log-in)
        token = signed_up.cookies.get("csrftoken", CSRF)
        self.client.cookies.clear()
        self.client.cookies.set("sessionid", signed_up.cookies.get("sessionid"))
        self.client.cookies.set("csrftoken", token)
        for step in STEPS:
            path, following = f"/pencaker/daftar/{step}/", f"/pencaker/daftar/{NEXT_STEP[step]}/"
            body = {**step_body(step, data), "csrfmiddlewaretoken": token}
            if _post(self, step, path, body, address, following) is None:
                return


class Yardstick(Stream):
    """Logged-in job seekers posting to the no-op view, PACING / 5 seconds apart on average (a
    person's five posts), so a stage offers the same number of requests a second as Registrant's."""

    interval = PACING / (1 + len(STEPS))
    cookies = itertools.cycle(DATA["noop_sessions"])

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", next(Yardstick.cookies))
        self.client.cookies.set("csrftoken", CSRF)
        self.address = client_address(next(PEOPLE))
        self.body = step_body("identitas", person(0, DATA["villages"], DATA["job_type"]))

    @task
    def noop(self):
        _post(self, "noop", "/bench/noop/", self.body, self.address, "/pencaker/daftar/alamat/")


class RisingArrivals(LoadTestShape):
    """Stage k (from 1) offers k x STEP_RATE people (or yardstick streams) a second: PACING x that
    many users. At each stage's end its figures are kept and the counters start afresh."""

    stages: list[dict] = []
    over = 0

    def tick(self):
        run_time = self.get_run_time()
        stage = int(run_time // STAGE_SECONDS) + 1
        if stage > len(self.stages) + 1:  # the previous stage has ended
            self._close(stage - 1)
            if self.over >= 2 or stage > MAX_STAGES:
                return None
        users = max(1, round(stage * STEP_RATE * PACING))
        return users, max(users, 10)

    def _close(self, stage: int) -> None:
        stats = self.runner.stats
        seconds = STAGE_SECONDS
        total = stats.total
        row = {
            "stage": stage,
            "offered_per_s": stage * STEP_RATE,
            "requests_per_s": total.num_requests / seconds,
            "p50_ms": total.get_response_time_percentile(0.5) if total.num_requests else None,
            "p95_ms": total.get_response_time_percentile(0.95) if total.num_requests else None,
            "failures": total.num_failures,
            "per_step": {
                name: {
                    "requests": entry.num_requests,
                    "p95_ms": entry.get_response_time_percentile(0.95),
                    "failures": entry.num_failures,
                }
                for (name, _method), entry in stats.entries.items()
            },
            "errors": [f"{e.name}: {e.error} x{e.occurrences}" for e in stats.errors.values()][:5],
        }
        self.stages.append(row)
        if (row["p95_ms"] or 0) >= P95_LIMIT_MS or row["failures"]:
            self.over += 1
        stats.reset_all()


@events.quitting.add_listener
def _write(environment, **_kwargs):
    target = os.environ.get("JALUR_LOCUST_RESULT")
    if target:
        Path(target).write_text(json.dumps(RisingArrivals.stages, indent=1))
