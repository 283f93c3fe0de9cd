"""Work done once per transaction (``articles.transactions``)."""

import pytest
from django.db import transaction

from articles import pagecache
from articles.transactions import first_in_transaction, forget_in_transaction

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def test_outside_a_transaction_every_call_is_new():
    assert first_in_transaction("a") and first_in_transaction("a")


def test_a_key_is_seen_until_its_transaction_commits():
    with transaction.atomic():
        assert first_in_transaction("a")
        assert not first_in_transaction("a")
        assert first_in_transaction("b")
        forget_in_transaction("b")
        assert first_in_transaction("b")
    with transaction.atomic():
        assert first_in_transaction("a")


def test_a_rolled_back_savepoint_forgets_what_it_saw():
    with transaction.atomic():
        assert first_in_transaction("outer")
        with pytest.raises(Rollback), transaction.atomic():
            assert not first_in_transaction("outer")
            assert first_in_transaction("inner")
            raise Rollback
        # The savepoint's writes are gone: what it marked must be done again.
        assert first_in_transaction("inner")
    with pytest.raises(Rollback), transaction.atomic():
        assert first_in_transaction("again")
        raise Rollback
    with transaction.atomic():
        assert first_in_transaction("again")


def test_a_commit_after_a_rolled_back_transaction_still_bumps(page_cache, monkeypatch):
    bumps = []
    monkeypatch.setattr(pagecache, "bump_generation", lambda: bumps.append(1))
    with pytest.raises(Rollback), transaction.atomic():
        pagecache.bump_generation_now_and_on_commit()
        raise Rollback
    assert len(bumps) == 1  # now; the rolled-back commit never comes
    with transaction.atomic():
        pagecache.bump_generation_now_and_on_commit()
        pagecache.bump_generation_now_and_on_commit()
        assert len(bumps) == 3
    assert len(bumps) == 4  # and once more on commit
