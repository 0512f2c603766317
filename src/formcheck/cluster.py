"""Batch analysis on a Dask cluster (optional extra: ``pip install 'formcheck[cluster]'``).

The cluster runs the same per-video job as the local pool (``batch.run_video_job``), one
task per video. Each Dask worker process builds its own pose model, so start workers with
one thread each (``dask worker ADDRESS --nthreads 1 --nworkers N``): a pose model keeps a
core busy. Videos and report paths must be reachable under the same paths on every worker
(a shared folder).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .batch import VideoJob, VideoResult, run_video_job
from .errors import UsageError


def _client(scheduler: Any) -> tuple[Any, bool]:
    """A dask Client for ``scheduler`` (an address, or a Client); and whether we made it."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'formcheck[cluster]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout=30), True
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None


def run_on_dask(
    jobs: Sequence[VideoJob], scheduler: Any, on_result: Callable[[VideoResult], None] | None = None
) -> list[VideoResult]:
    """Run one ``run_video_job`` task per job on the cluster at ``scheduler``.

    ``scheduler``: an address such as ``tcp://10.0.0.5:8786`` or a ``dask.distributed.Client``.
    Returns the results in the order of ``jobs``. Raises UsageError when Dask is not
    installed or the scheduler cannot be reached.
    """
    from dask.distributed import as_completed

    client, owned = _client(scheduler)
    try:
        # pure=False: the same video twice is two jobs (the report may have been deleted).
        futures = client.map(run_video_job, list(jobs), pure=False)
        order = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, VideoResult] = {}
        for fut in as_completed(futures):
            res = fut.result()
            results[order[fut.key]] = res
            if on_result is not None:
                on_result(res)
        return [results[i] for i in range(len(jobs))]
    finally:
        if owned:
            client.close()
