"""The raw queries behind every article page and card list, run as
PostgreSQL prepared statements.

Planning such a lookup costs the database more than running it (about
0.1 ms against 0.03 ms); prepared, it is planned once per database session.
Only outside transactions, where a failed EXECUTE can fall back to the plain
query; only with persistent connections (``CONN_MAX_AGE``), the session
outliving the request; and never with ``WARDNEWS_PREPARED_STATEMENTS`` off
(PgBouncer in transaction mode moves sessions between requests). A
statement's name derives from its SQL, so a session that outlives a release
never runs an older query. Elsewhere, and on SQLite,
the plain query runs.
"""

import hashlib

from django.conf import settings
from django.db import DatabaseError, connection

# PostgreSQL's invalid_sql_statement_name: the statement is not prepared.
UNKNOWN_STATEMENT = "26000"


def statement_name(sql: str) -> str:
    """A name for ``sql`` that changes when the query does."""
    return "wardnews_" + hashlib.sha1(sql.encode()).hexdigest()[:16]


def execute(cursor, sql: str, params: list) -> None:
    """Run ``sql`` on ``cursor`` (a cursor of the default connection), as a
    prepared statement where it can be."""
    name = statement_name(sql)
    if _prepared(name, sql):
        try:
            cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
            return
        except DatabaseError as error:
            if getattr(error.__cause__, "pgcode", None) != UNKNOWN_STATEMENT:
                raise
            # Gone with the session (a pooler, DISCARD ALL): the plain query
            # this time, prepared again on the next request.
            connection._wardnews_prepared = None
    cursor.execute(sql, params)


def _prepared(name: str, sql: str) -> bool:
    """Whether ``sql`` can run as prepared statement ``name``, preparing it
    once per database session."""
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not settings.WARDNEWS_PREPARED_STATEMENTS
        # A session per request (CONN_MAX_AGE 0): preparing would add three
        # round trips to every request and save nothing.
        or connection.settings_dict.get("CONN_MAX_AGE", 0) == 0
    ):
        return False
    session = connection.connection
    held = getattr(connection, "_wardnews_prepared", None)
    if held is None or held[0] is not session:
        held = connection._wardnews_prepared = (session, set())
        # These lookups' generic plans are the plans PostgreSQL picks for
        # each read; left to choose, it plans every EXECUTE again because a
        # generic plan's estimate is a little higher. Only statements
        # prepared on the server follow this setting, and only these are.
        with session.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
    if name not in held[1]:
        numbered = sql.split("%s")
        numbered = "".join(
            f"{part}${index}" if index < len(numbered) else part
            for index, part in enumerate(numbered, 1)
        )
        # Session set-up, as Django's own time zone SET: not a page query.
        with session.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name]
            )
            if cursor.fetchone() is None:
                cursor.execute(f"PREPARE {name} AS {numbered}")
        held[1].add(name)
    return True
