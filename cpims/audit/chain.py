"""The audit chain's three statements, written without the ORM's query compiler.

Every audited write in the system runs these inside its transaction: lock and read the chain
head, append the entries (`cpims.core.inserts.rows_insert`), move the head. Through the ORM
they cost about 1.1 ms of CPU per write, mostly compiling SQL that never changes; here the SQL
is built once per kind of database.
"""

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from cpims.audit.models import AuditChainHead, AuditEvent
from cpims.core.inserts import rows_insert

HEAD_ID = 1


def chain_connection() -> BaseDatabaseWrapper:
    return connections[router.db_for_write(AuditEvent)]


# S608: the only names put into this SQL are the models' own table and column names, quoted by
# the database backend; every value is a query parameter.
def _sql(quote, lock: bool) -> tuple[str, str]:
    head = quote(AuditChainHead._meta.db_table)
    read = f"SELECT {quote('seq')}, {quote('hash')} FROM {head} WHERE {quote('id')} = %s"  # noqa: S608
    if lock:
        read += " FOR UPDATE"
    move = f"UPDATE {head} SET {quote('seq')} = %s, {quote('hash')} = %s WHERE {quote('id')} = %s"  # noqa: S608
    return read, move


_STATEMENTS: dict[tuple[str, bool], tuple[str, str]] = {}


def _statements(connection: BaseDatabaseWrapper) -> tuple[str, str]:
    """Read-and-lock and move the head, on this kind of database (quoting is the vendor's)."""
    lock = connection.features.has_select_for_update
    key = (connection.vendor, lock)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _sql(connection.ops.quote_name, lock)
    return _STATEMENTS[key]


def chain_head_lock(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    """The head's (seq, hash), locked until the transaction ends; created on first use."""
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection)[0], [HEAD_ID])
        row = cursor.fetchone()
    if row is None:  # the very first entry of a new database
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=HEAD_ID)
        return head.seq, head.hash
    return row[0], row[1]


def chain_append(connection: BaseDatabaseWrapper, events: list[AuditEvent]) -> None:
    """INSERT the events (ids set on them) and move the head to the last one."""
    rows_insert(events)
    last = events[-1]
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection)[1], [last.seq, last.hash, HEAD_ID])
