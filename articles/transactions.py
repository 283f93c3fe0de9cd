"""Work done once per database transaction, however many rows it writes."""

from django.db import transaction


class _Seen:
    """A commit callback that does nothing. While Django keeps it, the
    transaction, and the savepoint it was made in, have neither committed
    nor rolled back: Django drops the callbacks of a rolled-back savepoint."""

    def __init__(self, key):
        self.key = key

    def __call__(self):
        pass


def _seen(connection, key) -> _Seen | None:
    """The live ``_Seen`` of ``key``, looked up in an index of the commit
    callbacks kept beside them: a restore writes tens of thousands of rows
    in one transaction, and scanning the callbacks on each would cost the
    square of that. Django replaces the list when a savepoint rolls back or
    the transaction ends, and then the index is built again."""
    callbacks = connection.run_on_commit
    index = getattr(connection, "_wardnews_seen", None)
    if index is None or index[0] is not callbacks:
        index = connection._wardnews_seen = [callbacks, 0, {}]
    for item in callbacks[index[1] :]:
        if isinstance(item[1], _Seen):
            index[2][item[1].key] = item[1]
    index[1] = len(callbacks)
    seen = index[2].get(key)
    return seen if seen is not None and seen.key == key else None


def first_in_transaction(key) -> bool:
    """Whether ``key`` is new to the current transaction, and remember it
    until the transaction commits or the savepoint that saw it rolls back.
    Outside a transaction every call is new."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return True
    if _seen(connection, key) is not None:
        return False
    transaction.on_commit(_Seen(key))
    return True


def forget_in_transaction(key) -> None:
    """Make ``key`` new to the current transaction again."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        seen = _seen(connection, key)
        if seen is not None:
            seen.key = None
