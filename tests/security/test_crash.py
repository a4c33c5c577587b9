"""Nothing lost: the app server is killed (SIGKILL, master and workers) while clients write.

Four clients POST helpline contacts through the API, each with its own Idempotency-Key, to the
real app under gunicorn (2 workers) on a committed test database. The server is killed twice
mid-run and restarted; clients resend every unanswered request with the same key. One client
is impatient (it gives up on a first answer after 0.2 s), so some writes commit without their
acknowledgement reaching the client, as when a mobile link drops, and are answered on the
retry from the stored response. Afterwards
every acknowledged (2xx) contact is present exactly once, every contact has its key, and the
audit chain verifies. The figures are printed (see docs/security.md, "Nothing lost").
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections

from cpims.accounts.tokens import api_token_create
from cpims.audit.services import audit_chain_verify
from cpims.core.models import IdempotencyKey
from cpims.helpline.models import Contact
from tests.helpline.helpers import counsellor

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
CLIENTS = 4
WRITES_PER_CLIENT = 10
KILLS = 2
MARK = "crash test "


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    """gunicorn in its own process group, so one killpg reaches the master and every worker."""

    def __init__(self, tmp_path: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "gunicorn.log"
        self.log = self.log_path.open("ab")
        self.process: subprocess.Popen | None = None
        self.starting = 0.0  # seconds spent waiting for gunicorn to answer
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cpims.settings",
            "DEBUG": "0",
            "SECRET_KEY": "crash-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CPIMS_SSL_REDIRECT": "0",
            "CPIMS_STATIC_MANIFEST": "0",
            "CPIMS_VAR_DIR": str(tmp_path),
            "DATABASE_URL": _database_url(),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
        }

    def start(self) -> None:
        began = time.monotonic()
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(CONFIG), "cpims.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                pytest.fail("gunicorn exited: " + self.log_path.read_text()[-2000:])
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        self.starting += time.monotonic() - began
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within 30 s")
            time.sleep(0.1)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict[str, int] = field(default_factory=dict)  # key -> contact id
    attempts: Counter = field(default_factory=Counter)  # key -> requests sent
    replayed: int = 0
    failed_requests: int = 0  # no answer, or a 5xx: resent with the same key
    conflicts: int = 0  # 409: the first request with this key was still running
    gave_up: int = 0  # the impatient client's first tries that it stopped waiting for
    refused: list[str] = field(default_factory=list)  # unexpected 4xx


def _post(base: str, token: str, key: str, body: dict, timeout: float) -> tuple[int, dict, bool]:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        base + "/api/v1/contacts/",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            replayed = response.headers.get("Idempotent-Replayed") == "true"
            return response.status, json.loads(response.read()), replayed
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read()[:300].decode(errors="replace")}, False


def _client(number: int, base: str, token: str, tally: Tally, deadline: float) -> None:
    for i in range(WRITES_PER_CLIENT):
        key = f"crash-{number}-{i}-{uuid.uuid4().hex[:12]}"
        body = {
            "channel": "phone",
            "primary_category": "violence.bullying",
            "caller_phone": f"99{number:02d}{i:04d}",
            "narrative": MARK + key,
        }
        while time.monotonic() < deadline:
            with tally.lock:
                tally.attempts[key] += 1
                impatient = number == 0 and tally.attempts[key] == 1
            try:
                status, data, replayed = _post(base, token, key, body, 0.2 if impatient else 15)
            except OSError:  # refused, reset, timed out: the server is down or was killed
                status, data, replayed = (-1 if impatient else 0), {}, False
            with tally.lock:
                if 200 <= status < 300:
                    tally.acked[key] = data["id"]
                    tally.replayed += replayed
                    break
                if status == -1:
                    tally.gave_up += 1
                elif status == 409:
                    tally.conflicts += 1
                elif status == 0 or status >= 500:
                    tally.failed_requests += 1
                elif status >= 400:
                    tally.refused.append(f"{status} {data}")
                    break
            time.sleep(0.1)


def test_acknowledged_writes_survive_kill_9_exactly_once(places, tmp_path, capsys):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed (pip install -e .)")
    user = counsellor()
    _, token = api_token_create(
        actor=None, user=user, name="crash test", scopes=["helpline.contact"], days=1
    )
    server = Server(tmp_path)
    tally = Tally()
    total = CLIENTS * WRITES_PER_CLIENT
    started = time.monotonic()
    try:
        server.start()
        deadline = time.monotonic() + 90
        clients = [
            threading.Thread(target=_client, args=(n, server.base, token, tally, deadline))
            for n in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        for kill in range(1, KILLS + 1):
            # Kill while writes are flowing: after a share of them has been acknowledged.
            while len(tally.acked) < total * kill // (KILLS + 1) and time.monotonic() < deadline:
                time.sleep(0.02)
            server.kill()
            server.start()
        for thread in clients:
            thread.join(timeout=max(1, deadline - time.monotonic()))
    finally:
        server.stop()
        server.log.close()

    acknowledged = len(tally.acked)
    contacts = Contact.objects.filter(counsellor=user, narrative__startswith=MARK)
    per_key = Counter(n.removeprefix(MARK) for n in contacts.values_list("narrative", flat=True))
    present = sum(
        1
        for key, pk in tally.acked.items()
        if contacts.filter(pk=pk, narrative=MARK + key).exists()
    )
    duplicates = sum(count - 1 for count in per_key.values())
    retried = sum(1 for count in tally.attempts.values() if count > 1)
    problems = audit_chain_verify()
    figures = (
        f"crash test ({connections['default'].vendor}, {KILLS} × kill -9): "
        f"acknowledged {acknowledged}/{total}, present {present}, duplicates {duplicates}, "
        f"retried {retried} (requests unanswered {tally.failed_requests}, "
        f"abandoned by the impatient client {tally.gave_up}, "
        f"answered 409 {tally.conflicts}, answered by replay {tally.replayed}), "
        f"audit chain problems {len(problems)}, "
        f"{time.monotonic() - started:.1f} s ({server.starting:.1f} s starting gunicorn)"
    )
    with capsys.disabled():
        print("\n" + figures)

    assert not tally.refused, tally.refused
    assert acknowledged == total, figures + "\n" + server.log_path.read_text()[-2000:]
    assert present == acknowledged, figures
    assert duplicates == 0 and contacts.count() == acknowledged, figures
    assert set(per_key) == set(tally.acked), "no write that was never asked for"
    keys = {k.key: k.body["id"] for k in IdempotencyKey.objects.filter(user=user)}
    assert keys == tally.acked, "every write has its key and every key its write"
    assert tally.failed_requests > 0, "the kills interrupted requests in flight"
    assert problems == [], [str(p) for p in problems]
