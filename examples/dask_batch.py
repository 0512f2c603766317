"""Analyse a folder of videos on a Dask cluster: one task per video, one pose model per worker.

    pip install -e '.[cluster]'
    # on the scheduler machine:   dask scheduler                      (listens on :8786)
    # on each worker machine:     dask worker tcp://SCHEDULER:8786 --nthreads 1 --nworkers 2
    python examples/dask_batch.py tcp://SCHEDULER:8786 /shared/clips glute_bridge /shared/reports

Without an address (``local``) it starts a cluster on this machine, as the test does. The
videos and the report folder must be at the same paths on every worker (a shared folder).
The command line does the same with ``formcheck analyze DIR -e EXERCISE --scheduler ADDRESS
--out-dir OUT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from formcheck.batch import VideoJob, batch_summary, expand_inputs, render_summary, report_paths
from formcheck.cluster import run_on_dask


def main(scheduler: str, folder: str, exercise: str, out_dir: str) -> int:
    videos = expand_inputs([folder])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [
        VideoJob(str(v), str(r), exercise)
        for v, r in zip(videos, report_paths(videos, out), strict=True)
    ]
    if scheduler == "local":
        from dask.distributed import LocalCluster

        # One thread per worker process: each worker runs one pose model at a time.
        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
            results = run_on_dask(jobs, cluster.scheduler_address)
    else:
        results = run_on_dask(jobs, scheduler)
    print(render_summary(batch_summary(results, exercise, sum(r.seconds for r in results))))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
