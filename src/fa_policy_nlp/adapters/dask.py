"""Run ``fa-policy extract`` on Dask: an existing cluster (``--scheduler ADDRESS``) or a local one.

Chunks of the input are submitted as tasks; each worker process builds the pipeline once (cached in the worker) and
returns rows, which the client writes exactly as the local engine does — so both engines produce identical tables.
"""

from __future__ import annotations

from typing import Any


def dask_executor(config: Any):
    try:
        from distributed import Client, LocalCluster, wait
    except ImportError as exc:  # pragma: no cover - depends on the install
        from ..errors import InputError

        raise InputError("--engine dask needs the 'dask' extra: pip install 'fa-policy-nlp[dask]'") from exc
    from ..batch import process_chunk

    cluster = None
    if config.scheduler:
        client = Client(config.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, config.jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)

    def submit(index, items):  # rows come back to the parent, which writes them (workers may be elsewhere)
        return client.submit(process_chunk, items, config.model, config.format, pure=False)

    def wait_some(futures):
        return wait(futures, return_when="FIRST_COMPLETED").done

    def close(finished: bool = True):
        # either way: closing the client releases its futures, so the scheduler drops work still pending
        client.close()
        if cluster is not None:
            cluster.close()

    return submit, wait_some, close
