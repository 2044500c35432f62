"""Store reads off the UI thread, so typing in a filter never waits for the store.

Each lane (the part of a job's key before its first "-": table, dashboard, findings) has one
worker thread, so a list's filter never queues behind the dashboard's rules; the workers share
a ledger of their own (same store, same user: a ledger keeps its transaction per instance, the
SQLite backend a connection per thread). A job whose key was given a newer job before it
started is skipped, and a result is delivered on the UI thread only while its job is still the
newest for its key, so with fast typing only the last filter is run to the end and shown.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from ..ledger import Ledger

Job = Callable[[Ledger, Callable[[Any], None]], None]


class Background:
    def __init__(self, app, ledger: Ledger) -> None:
        self.app = app
        self.ledger = Ledger(ledger.store, ledger.registry, ledger.user, login=ledger.login, clock=ledger.clock, scope=ledger.scope)
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._latest: dict[str, int] = {}

    def submit(self, key: str, job: Job, deliver: Callable[[Any], None], failed: Callable[[Exception], None]) -> int:
        """Run ``job(ledger, send)`` in the worker; each ``send(result)`` calls ``deliver(result)``
        on the UI thread while this job is the newest for ``key``."""
        generation = self._latest[key] = self._latest.get(key, 0) + 1
        lane = key.split("-", 1)[0]
        if lane not in self._lanes:
            self._lanes[lane] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"duty-{lane}")

        def current() -> bool:
            return self._latest.get(key) == generation

        def on_ui(callback: Callable[[Any], None], value: Any) -> None:
            if current():
                callback(value)

        def post(callback: Callable[[Any], None], value: Any) -> None:
            try:
                self.app.call_from_thread(on_ui, callback, value)
            except RuntimeError:  # the app has stopped
                pass

        def run() -> None:
            if not current():
                return
            try:
                job(self.ledger, lambda value: post(deliver, value) if current() else None)
            except Exception as exc:  # reported on the UI thread, like a synchronous read's error
                post(failed, exc)

        self._lanes[lane].submit(run)
        return generation

    def cancel(self, key: str) -> None:
        """Whatever is queued or running for ``key`` is no longer wanted."""
        if key in self._latest:
            self._latest[key] += 1

    def shutdown(self) -> None:
        self._latest.clear()
        for executor in self._lanes.values():
            executor.shutdown(wait=False, cancel_futures=True)
        self._lanes.clear()
