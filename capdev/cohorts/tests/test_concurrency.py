"""Race safety: concurrent acceptances never over-book a run, concurrent nominations never exceed
an organisation's quota. Each thread has its own database connection and transaction; the run
rows (or the call row) are locked, so the threads are serialised and each one counts what the
others committed. Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (row locks).

The SQLite test database lives in memory with a shared cache, where a second writer is refused
at once ("database table is locked") instead of waiting for the busy timeout as it does on the
file database capdev uses. `run_at_once` retries such a refused attempt, as the busy timeout
would: each attempt is a whole transaction that was rolled back, so the counting is unchanged.

The tests commit for real (a transactional test database), with serialized rollback like the
browser tests: the database is emptied afterwards without re-creating the content types, so the
next serialized test restores the migrations' rows intact."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection

from capdev.cohorts import services
from capdev.cohorts.models import Application, ApplicationStatus, Enrolment
from capdev.cohorts.testing import delivery_world, make_application, make_call, make_person
from capdev.core.errors import ConflictError


def run_at_once(jobs: list[Any]) -> list[Any]:
    """Run each job in its own thread, all released together; returns results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def attempt(job: Any) -> Any:
        last = None
        for _ in range(400):
            try:
                return job()
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                last = exc
                time.sleep(0.01)
        raise TimeoutError(f"the database stayed locked: {last}")

    def work(index: int, job: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = attempt(job)
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("seats_left", [1, 2])
def test_concurrent_accepts_never_overbook_the_run(
    transactional_db: Any, django_db_serialized_rollback: Any, cast: Any, seats_left: int
) -> None:
    world = delivery_world(cast)
    run = world.run_a  # capacity 3, one participant enrolled
    run.capacity = 1 + seats_left
    run.save()
    call = make_call(run=run)
    applications = [
        make_application(call, make_person(f"Candidate{i}", "Silva", cast.org_a)) for i in range(6)
    ]
    results = run_at_once(
        [lambda a=a: services.accept_application(a, actor=cast.staff) for a in applications]
    )
    accepted = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    unexpected = [r for r in results if not isinstance(r, Application | ConflictError)]
    assert not unexpected, "\n".join(repr(u) for u in unexpected)
    assert len(accepted) == seats_left
    assert len(refused) == 6 - seats_left
    assert all(e.code == "full" for e in refused)
    assert Enrolment.objects.filter(run=run).active().count() == run.capacity
    assert Application.objects.filter(call=call, status=ApplicationStatus.ACCEPTED).count() == seats_left


def test_concurrent_nominations_never_exceed_the_quota(
    transactional_db: Any, django_db_serialized_rollback: Any, cast: Any
) -> None:
    world = delivery_world(cast)
    call = make_call(run=world.run_a, default_quota=2)
    people = [make_person(f"Nominee{i}", "Costa", cast.org_a) for i in range(5)]
    results = run_at_once(
        [lambda p=p: services.nominate_candidate(call, p, actor=cast.focal) for p in people]
    )
    nominated = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(nominated) == 2, results
    assert len(refused) == 3 and all(e.code == "quota" for e in refused)
    assert Application.objects.filter(call=call).count() == 2
