"""Helpers for tests of writes that race: threads released together, and a
check that answers as if it had looked before the others wrote."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(
    work: Callable[[int], T], *, threads: int
) -> tuple[list[T], list[BaseException]]:
    """Run ``work(n)`` in ``threads`` threads released together; results, errors.

    Each thread has its own database connection, closed when it ends.
    """
    barrier = threading.Barrier(threads)
    results: list[T] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=5)
            results.append(work(n))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    started = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=30)
    return results, errors


def checked_too_early(check: Callable[..., T], *, answer: T) -> Callable[..., T]:
    """``check`` that gives ``answer`` to each thread's first question.

    As if every thread had looked before any of the others wrote: the widest
    window a race can have. Later questions get the real answer.
    """
    asked: set[int] = set()
    lock = threading.Lock()

    def first_answer(*args: object, **kwargs: object) -> T:
        with lock:
            first = threading.get_ident() not in asked
            asked.add(threading.get_ident())
        return answer if first else check(*args, **kwargs)

    return first_answer
