"""The audit chain's three statements, written without the ORM's query compiler.

Every audited write in the system runs these inside its transaction: lock and read the chain
head, append the entries, move the head. Through the ORM they cost about 1.1 ms of CPU per
write (mostly compiling SQL that never changes); here the SQL is built once per connection
vendor and the values are prepared by the model fields themselves (`get_db_prep_save`, as the
ORM's INSERT does), so what is stored is the same.
"""

from django.db import router
from django.db.backends.base.base import BaseDatabaseWrapper

from cpims.audit.models import AuditChainHead, AuditEvent

HEAD_ID = 1
_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def chain_connection() -> BaseDatabaseWrapper:
    from django.db import connections

    return connections[router.db_for_write(AuditEvent)]


# S608: the only names put into this SQL are the models' own table and column names, quoted by
# the database backend; every value is a query parameter.
def _sql(quote, lock: bool, rows: int) -> tuple[str, str, str]:
    head = quote(AuditChainHead._meta.db_table)
    read = f"SELECT {quote('seq')}, {quote('hash')} FROM {head} WHERE {quote('id')} = %s"  # noqa: S608
    if lock:
        read += " FOR UPDATE"
    table = quote(AuditEvent._meta.db_table)
    columns = ", ".join(quote(f.column) for f in _FIELDS)
    row = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
    pk = quote(AuditEvent._meta.pk.column)
    values = ", ".join([row] * rows)
    append = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}"  # noqa: S608
    move = f"UPDATE {head} SET {quote('seq')} = %s, {quote('hash')} = %s WHERE {quote('id')} = %s"  # noqa: S608
    return read, append, move


_STATEMENTS: dict[tuple[str, bool, int], tuple[str, str, str]] = {}


def _statements(connection: BaseDatabaseWrapper, rows: int) -> tuple[str, str, str]:
    """The SQL for `rows` entries on this kind of database (quoting depends on the vendor)."""
    lock = connection.features.has_select_for_update
    key = (connection.vendor, lock, rows)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _sql(connection.ops.quote_name, lock, rows)
    return _STATEMENTS[key]


def chain_head_lock(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    """The head's (seq, hash), locked until the transaction ends; created on first use."""
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection, 1)[0], [HEAD_ID])
        row = cursor.fetchone()
    if row is None:  # the very first entry of a new database
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=HEAD_ID)
        return head.seq, head.hash
    return row[0], row[1]


def chain_append(connection: BaseDatabaseWrapper, events: list[AuditEvent]) -> None:
    """INSERT the events (ids set on them) and move the head to the last one."""
    if not connection.features.can_return_rows_from_bulk_insert:
        AuditEvent.objects.bulk_create(events)
    else:
        params = [
            field.get_db_prep_save(getattr(event, field.attname), connection)
            for event in events
            for field in _FIELDS
        ]
        with connection.cursor() as cursor:
            cursor.execute(_statements(connection, len(events))[1], params)
            for event, (pk,) in zip(events, cursor.fetchall(), strict=True):
                event.pk = pk
                event._state.adding, event._state.db = False, connection.alias
    last = events[-1]
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection, 1)[2], [last.seq, last.hash, HEAD_ID])
