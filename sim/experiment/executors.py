"""Where runs execute. Each executor is a context manager with ``imap_unordered``.

Results never depend on the executor: every run seeds its own streams from
(seed, replication), and the experiment puts results back in a fixed order. The
process pool is the default on one machine; Dask is for more machines than one
(its scheduler competes with its workers on a laptop).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Executor(Protocol):
    name: str

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...


class Serial:
    """In this process, one after another: the easiest to debug."""

    name = "serial"

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(fn, items)


class Processes:
    """A local process pool (``concurrent.futures``)."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Processes:
        # a forkserver's workers are its children, not ours (it dies with us, they with it)
        parent = None if multiprocessing.get_start_method() == "forkserver" else os.getpid()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, initializer=_worker_setup, initargs=(parent,)
        )
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        assert self._pool is not None
        if exc_type is not None:  # Ctrl-C or an error: stop the runs, do not wait for them
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
            self._pool.shutdown(wait=False, cancel_futures=True)
            return
        self._pool.shutdown(cancel_futures=True)

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        assert self._pool is not None, "use the executor in a with-block"
        futures = [self._pool.submit(fn, item) for item in items]
        return (f.result() for f in as_completed(futures))


def _worker_setup(parent: int | None) -> None:
    """A worker dies with its parent, leaves Ctrl-C to it, and uses one BLAS thread."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool, quietly
    _one_blas_thread()


def _die_with_parent(parent: int | None) -> None:
    """A killed parent (SIGKILL, SIGTERM) must not leave workers running on: on Linux the
    kernel kills the worker when its parent ends; elsewhere a thread watches the parent."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        set_death_signal = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        set_death_signal = False
    if parent is not None and os.getppid() != parent:  # it died before the signal was set
        os._exit(1)
    if not set_death_signal:
        threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _one_blas_thread() -> None:
    """Each worker is one replication at a time: BLAS threads would only fight the other
    workers for the cores (measured: 45% parallel efficiency with them, 90% without).
    Dask's nanny already sets the same limits in its workers' environment."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


class Dask:
    """A Dask distributed cluster: ``local`` starts a ``LocalCluster``, anything else is
    the address of a running scheduler (e.g. one started by dask-jobqueue on an HPC)."""

    name = "dask"

    def __init__(self, address: str, workers: int) -> None:
        self.address = address
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Dask:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:  # pragma: no cover - depends on the extra
            raise RuntimeError(
                "Dask is not installed: pip install 'enforcement-sim[dask]'"
            ) from err
        if self.address == "local":
            self._cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True,
                dashboard_address=None,
            )  # fmt: skip
            self._client = Client(self._cluster)
        else:
            self._client = Client(self.address)
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from dask.distributed import as_completed as dask_completed

        futures = self._client.map(fn, list(items), pure=False)
        return (f.result() for f in dask_completed(futures))


def default_jobs() -> int:
    return os.cpu_count() or 1


def make_executor(jobs: int | None = None, dask: str | None = None) -> Executor:
    jobs = default_jobs() if jobs is None else jobs
    if dask:
        return Dask(dask, jobs)
    return Serial() if jobs <= 1 else Processes(jobs)
