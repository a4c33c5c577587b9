"""The read-replica router: reads inside `reading_from_replica()` go to `replica` when one is
configured, everything else (and everything without a replica) to `default`."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.test.utils import CaptureQueriesContext

from cpims.core.db_router import (
    REPLICA_ALIAS,
    ReplicaRouter,
    read_alias,
    reading_from_replica,
    replica_configured,
)
from cpims.registry.models import Person

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def replica(django_db_setup, settings):
    """A second alias on the same test database, as `DATABASE_REPLICA_URL` would add."""
    assert not replica_configured()
    mirror = {**connections[DEFAULT_DB_ALIAS].settings_dict, "TEST": {"MIRROR": "default"}}
    connections.settings[REPLICA_ALIAS] = mirror
    settings.DATABASES = {**settings.DATABASES, REPLICA_ALIAS: mirror}
    # Connect now, while the alias is not yet listed: Django's test case refuses to open
    # connections to configured aliases the running test did not declare (pytest-django sets
    # those up before this fixture can add the alias).
    connection = connections[REPLICA_ALIAS]
    del connections.settings[REPLICA_ALIAS]
    try:
        connection.ensure_connection()
    finally:
        connections.settings[REPLICA_ALIAS] = mirror
    yield REPLICA_ALIAS
    connections[REPLICA_ALIAS].close()
    del connections[REPLICA_ALIAS]
    del connections.settings[REPLICA_ALIAS]


def _settings_in_subprocess(extra_env: dict[str, str]) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'dbs': {k: {'ENGINE': v['ENGINE'], 'NAME': v['NAME'], "
        "'TEST': v.get('TEST', {})} for k, v in s.DATABASES.items()}, "
        "'routers': s.DATABASE_ROUTERS}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpims.settings",
        "DATABASE_URL": "postgres://app@db-primary:5432/cpims",
        **extra_env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_add_a_mirrored_replica_only_when_configured():
    without = _settings_in_subprocess({"DATABASE_REPLICA_URL": ""})
    assert list(without["dbs"]) == ["default"]
    assert without["routers"] == ["cpims.core.db_router.ReplicaRouter"]

    with_replica = _settings_in_subprocess(
        {"DATABASE_REPLICA_URL": "postgres://reader@db-replica:5432/cpims"}
    )
    assert set(with_replica["dbs"]) == {"default", "replica"}
    assert with_replica["dbs"]["replica"]["NAME"] == "cpims"
    assert with_replica["dbs"]["replica"]["ENGINE"] == "django.db.backends.postgresql"
    assert with_replica["dbs"]["replica"]["TEST"] == {"MIRROR": "default"}


def test_without_a_replica_everything_uses_the_primary(db):
    assert not replica_configured()
    with reading_from_replica() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Person) == DEFAULT_DB_ALIAS
        assert Person.objects.all().db == DEFAULT_DB_ALIAS
    assert router.db_for_write(Person) == DEFAULT_DB_ALIAS


def test_reads_go_to_the_replica_only_inside_the_block(db, replica):
    assert router.db_for_read(Person) == DEFAULT_DB_ALIAS
    assert Person.objects.all().db == DEFAULT_DB_ALIAS
    with reading_from_replica() as alias:
        assert alias == REPLICA_ALIAS
        assert router.db_for_read(Person) == REPLICA_ALIAS
        assert Person.objects.all().db == REPLICA_ALIAS
        assert router.db_for_write(Person) == DEFAULT_DB_ALIAS, "writes always go to the primary"
        with reading_from_replica(enabled=False):
            assert Person.objects.all().db == DEFAULT_DB_ALIAS
        assert Person.objects.all().db == REPLICA_ALIAS, "nesting restores the outer choice"
    assert Person.objects.all().db == DEFAULT_DB_ALIAS


def test_only_the_primary_is_migrated():
    r = ReplicaRouter()
    assert r.allow_migrate(DEFAULT_DB_ALIAS, "registry") is True
    assert r.allow_migrate(REPLICA_ALIAS, "registry") is False


def test_relations_of_a_primary_object_are_read_on_the_primary(db, replica):
    person = Person(given_name="Бат")
    person._state.db = DEFAULT_DB_ALIAS
    with reading_from_replica():
        assert router.db_for_read(Person, instance=person) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Person) == REPLICA_ALIAS


def test_the_choice_is_per_thread(db, replica):
    seen = {}
    with reading_from_replica():
        worker = threading.Thread(target=lambda: seen.setdefault("other", read_alias()))
        worker.start()
        worker.join()
        assert read_alias() == REPLICA_ALIAS
    assert seen["other"] == DEFAULT_DB_ALIAS


def test_queries_really_run_on_the_routed_connection(transactional_db, replica):
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA_ALIAS]) as secondary,
    ):
        with reading_from_replica():
            Person.objects.create(given_name="Бат", given_key="bat")
            names = list(Person.objects.values_list("given_name", flat=True))
        count_on_primary = Person.objects.count()
    assert names == ["Бат"], "the replica (same database here) sees the committed row"
    assert count_on_primary == 1
    assert any(q["sql"].startswith("INSERT") for q in primary.captured_queries)
    assert not any(q["sql"].startswith("INSERT") for q in secondary.captured_queries)
    assert any("registry_person" in q["sql"] for q in secondary.captured_queries)
    assert any("COUNT" in q["sql"] for q in primary.captured_queries)
    assert not any("COUNT" in q["sql"] for q in secondary.captured_queries)
