"""Long jobs and their cancel button (issue 21): a cancelled task is over for the window at
once — its bar goes, its on_cancelled runs — while the worker stops at its next check; a
result arriving after the cancel is never delivered."""

from __future__ import annotations

import threading

from gridmap.core.workers import Cancelled, checkpoint


def test_cancel_ends_a_task_at_once_and_drops_its_late_result(qtbot):
    from gridmap.ui.jobs import TaskManager

    tm = TaskManager()
    release = threading.Event()
    started = threading.Event()
    seen = {"done": [], "cancelled": 0, "failed": []}
    busy = []
    tm.busyChanged.connect(lambda b, label: busy.append(b))

    def work(cancelled, progress):
        started.set()
        release.wait(60)                 # a chunk the worker cannot leave early
        return "late result"             # … and it does not look at cancelled() afterwards

    tm.submit("工作", work, on_done=seen["done"].append, on_failed=seen["failed"].append,
              on_cancelled=lambda: seen.__setitem__("cancelled", seen["cancelled"] + 1))
    assert started.wait(30) and tm.busy
    tm.cancel_all()
    assert seen["cancelled"] == 1 and not tm.busy and busy[-1] is False     # at once, the job still running
    release.set()
    assert tm.wait(30000)
    qtbot.wait(50)                                                           # the late result's signal
    assert seen == {"done": [], "cancelled": 1, "failed": []}
    tm.shutdown()


def test_a_job_that_checks_stops_at_its_next_chunk(qtbot):
    from gridmap.ui.jobs import TaskManager

    tm = TaskManager()
    gate = threading.Event()
    chunks = []
    ended = []

    def work(cancelled, progress):
        for k in range(1000):
            checkpoint(cancelled, progress, k // 10)
            chunks.append(k)
            if k == 3:
                gate.wait(60)            # the user presses ✕ during chunk 3
        return "all"

    def on_cancel():
        ended.append("cancelled")

    task = tm.submit("工作", work, on_done=lambda r: ended.append(r), on_cancelled=on_cancel)
    qtbot.waitUntil(lambda: len(chunks) == 4, timeout=30000)
    tm.cancel_all()
    gate.set()
    assert tm.wait(30000)
    qtbot.wait(50)
    assert chunks == [0, 1, 2, 3] and ended == ["cancelled"] and task.is_cancelled()
    try:
        checkpoint(lambda: True)
    except Cancelled:
        pass
    else:
        raise AssertionError("checkpoint did not raise")
    tm.shutdown()
