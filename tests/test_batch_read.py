"""Reading on every core: the same batch and the same outputs whatever the number of
workers, and a file that kills its reader costs only itself."""

from __future__ import annotations

import datetime as dt
import faulthandler
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from innova_reports.consolidate.history import History
from innova_reports.fields import ACTION
from innova_reports.model import ReadOutcome, ReadStatus
from innova_reports.pipeline import batch as batch_read
from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.read.files import discover
from innova_reports.support.parallel import Background, can_fork
from tests import hostile
from tests.factories import make_workbook
from tests.test_consolidate import samples_copy
from tests.test_speed_invariants import _recode, _same_frames, sample_values

PERIOD = "2018-05"
needs_fork = pytest.mark.skipif(not can_fork(), reason="processus forkés indisponibles ici")


@pytest.fixture(scope="module")
def folder(settings, tmp_path_factory) -> Path:
    """The samples, 24 more action sheets, and files that are refused or ignored."""
    base = tmp_path_factory.mktemp("lot")
    workbooks = samples_copy(base)
    fields, tables = sample_values(settings)
    fields["date_maj"] = dt.date(2018, 5, 25)
    filled = make_workbook(base / "modele.xlsx", ACTION, settings, fields=fields, tables=tables)
    for number in range(10, 34):
        target = workbooks / "axe-3" / f"fiche_action_A3.{number}.xlsx"
        hostile.rewrite_zip(filled, target, {"xl/worksheets/sheet2.xml": _recode(number)})
    (workbooks / "notes.txt").write_text("pas un classeur", encoding="utf-8")
    (workbooks / "axe-2" / "casse.xlsx").write_bytes(b"PK\x03\x04 tronque")
    hostile.stray_cell(filled, workbooks / "axe-3" / "loin.xlsx", "Indicateurs")
    return workbooks


def _paths(folder: Path) -> list[Path]:
    return [getattr(found, "path", found) for found in discover(folder)]


def _same_outcomes(left: list[ReadOutcome], right: list[ReadOutcome]) -> None:
    assert [o.source for o in left] == [o.source for o in right]
    for a, b in zip(left, right, strict=True):
        assert (a.status, a.reason, a.issues) == (b.status, b.reason, b.issues), a.source.name
        assert (a.data is None) == (b.data is None)
        if a.data is not None:
            assert a.data.fields == b.data.fields and a.data.issues == b.data.issues
            assert a.data.normalised and b.data.normalised
            _same_frames(a.data.tables, b.data.tables)


@needs_fork
def test_two_workers_read_what_one_process_reads(folder, settings):
    paths = _paths(folder)
    alone = batch_read.read_files(paths, settings, root=folder, workers=1)
    ticks = []
    shared = batch_read.read_files(paths, settings, root=folder, workers=2,
                                   progress=lambda done, total: ticks.append((done, total)))  # fmt: skip
    assert len(alone) == len(paths) > 40
    assert {o.status for o in alone} == {ReadStatus.READ, ReadStatus.REFUSED, ReadStatus.IGNORED}
    _same_outcomes(alone, shared)
    assert ticks[-1] == (len(paths), len(paths)) and len(ticks) > 2
    assert [done for done, _ in ticks] == sorted(done for done, _ in ticks)


def test_small_folders_are_read_in_this_process(monkeypatch):
    assert batch_read.worker_count(None, batch_read.PARALLEL_FROM - 1) == 1
    from innova_reports.support import parallel

    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert batch_read.worker_count(None, batch_read.PARALLEL_FROM) == 2
    assert batch_read.worker_count(8, 3) == 3 and batch_read.worker_count(0, 10) == 1


@needs_fork
def test_a_file_that_stops_its_reader_is_refused_and_the_others_are_read(
    folder, settings, monkeypatch
):
    parent, real = os.getpid(), batch_read.read_one

    def crashing(path, settings_, root):
        if path.name == "fiche_action_A3.20.xlsx" and os.getpid() != parent:
            faulthandler.disable()  # pytest's dump of the dying child is not the point here
            os.abort()  # as the native reader would: no exception, the process is gone
        return real(path, settings_, root)

    monkeypatch.setattr(batch_read, "read_one", crashing)
    paths = _paths(folder)
    outcomes = batch_read.read_files(paths, settings, root=folder, workers=2)
    assert [o.source.path for o in outcomes] == paths
    by_name = {o.source.name: o for o in outcomes}
    stopped = by_name["axe-3/fiche_action_A3.20.xlsx"]
    assert stopped.status is ReadStatus.REFUSED and batch_read.READER_STOPPED in stopped.reason
    assert stopped.source.sha256 and stopped.issues[0].type == "fichier-illisible"
    assert by_name["axe-3/fiche_action_A3.21.xlsx"].status is ReadStatus.READ
    monkeypatch.setattr(batch_read, "read_one", real)
    expected = batch_read.read_files(paths, settings, root=folder, workers=1)
    _same_outcomes([o for o in outcomes if o is not stopped],
                   [o for o in expected if o.source.name != stopped.source.name])  # fmt: skip


@needs_fork
def test_validating_workers_that_stop_cost_only_the_file_that_stops_them(
    folder, settings, monkeypatch
):
    parent, real = os.getpid(), batch_read.read_one
    loaded = []

    def crashing(path, settings_, root):
        if path.name == "fiche_action_A3.20.xlsx" and os.getpid() != parent:
            faulthandler.disable()
            os.abort()
        return real(path, settings_, root)

    monkeypatch.setattr(batch_read, "read_one", crashing)
    paths = _paths(folder)
    batch = batch_read.read_and_validate(paths, settings, period=PERIOD, root=folder, workers=2,
                                         meanwhile=lambda: loaded.append(1))  # fmt: skip
    assert loaded == [1]  # the work done meanwhile ran once, crash or not
    by_name = {o.source.name: o for o in batch.outcomes}
    assert [o.source.path for o in batch.outcomes] == paths
    assert batch_read.READER_STOPPED in by_name["axe-3/fiche_action_A3.20.xlsx"].reason
    monkeypatch.setattr(batch_read, "read_one", real)
    alone = batch_read.read_and_validate(paths, settings, period=PERIOD, root=folder, workers=1)
    kept = "axe-3/fiche_action_A3.20.xlsx"
    assert [i for i in batch.issues if i.file != kept] == [
        i for i in alone.issues if i.file != kept
    ]
    _same_frames({n: f[f["fichier"] != kept].reset_index(drop=True) for n, f in batch.tables.items()},
                 {n: f[f["fichier"] != kept].reset_index(drop=True) for n, f in alone.tables.items()})  # fmt: skip


def _outputs(result) -> dict[str, bytes]:
    files = [result.master_path, *result.feedback_paths.values()]
    files += sorted((result.period_dir / "archive").rglob("*.*"))
    return {str(p.relative_to(result.period_dir)): p.read_bytes() for p in files}


@needs_fork
def test_the_month_is_the_same_whatever_the_number_of_workers(folder, settings, tmp_path):
    results = []
    for workers in (1, 2):
        out = tmp_path / f"sortie-{workers}"
        results.append(consolidate_period(settings, PERIOD, workbooks_dir=folder, output_dir=out,
                                          today=dt.date(2018, 6, 3), workers=workers))  # fmt: skip
    one, two = results
    assert _outputs(one) == _outputs(two)
    assert one.issues == two.issues and len(one.archived) == len(two.archived) > 40
    stored = [History(r.history_path).load(PERIOD) for r in results]
    _same_frames(stored[0].tables, stored[1].tables)
    assert History(one.history_path).counts(PERIOD) == History(two.history_path).counts(PERIOD)


@needs_fork
def test_a_forked_job_sees_its_arguments_without_pickling_them():
    """The arguments are inherited by the child, not sent: an unpicklable one works."""
    parent = os.getpid()
    unpicklable = (lambda: os.getpid(),)  # a lambda cannot be pickled
    with Background(fork=True) as side:
        job = side.submit(_call_first, unpicklable)
        assert job.result() != parent and side.forked  # it ran in the child


@needs_fork
def test_a_job_whose_child_dies_is_done_here():
    """Killed for lack of memory, say: the job is done again in this process."""
    parent = os.getpid()
    with Background(fork=True) as side:
        job = side.submit(_die_in_child, parent)
        assert job.result() == ("fait ici", parent)


def _die_in_child(parent: int):
    if os.getpid() != parent:
        os._exit(9)
    return "fait ici", os.getpid()


@needs_fork
def test_children_leave_ctrl_c_to_this_process():
    import signal

    with Background(fork=True) as side:
        assert side.submit(_sigint_handler).result() == signal.SIG_IGN
    with batch_read._pool(1) as pool:
        assert pool.submit(_sigint_handler).result() == signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) != signal.SIG_IGN  # this process is untouched


def _sigint_handler():
    import signal

    return signal.getsignal(signal.SIGINT)


def _call_first(functions: tuple):
    return functions[0]()


def test_background_jobs_give_the_same_results_forked_or_not():
    results = []
    for fork in (can_fork(), False):
        with Background(fork=fork) as side:
            first, second = side.submit(_describe, "a", 2), side.submit(_describe, "b", 3)
            results.append((second.result(), first.result(), first.result()))
            assert side.forked is fork
            with pytest.raises(RuntimeError):
                side.submit(_describe, "trop tard", 1)  # the child is already forked
    assert results[0] == results[1] == (("b", 3, "bbb"), ("a", 2, "aa"), ("a", 2, "aa"))


@needs_fork
def test_an_error_in_the_background_is_raised_where_the_result_is_asked():
    with Background(fork=True) as side:
        failing, after = side.submit(_fails), side.submit(_describe, "c", 1)
        side.start()
        assert side.forked
        with pytest.raises(ValueError, match="échec voulu"):
            failing.result()
        assert after.result() == ("c", 1, "c")  # the child goes on with the next job


@needs_fork
def test_a_failed_master_leaves_the_history_untouched_even_with_side_work_forked(
    folder, settings, tmp_path, monkeypatch
):
    """The history is stored last: a master that fails stops the month before it, while
    the archive and the feedback were written by the child."""
    from innova_reports.xlsx import master

    small = tmp_path / "classeurs"
    shutil.copytree(folder / "axe-1", small / "axe-1")
    out = tmp_path / "sortie"

    def broken(*args, **kwargs):
        raise master.MasterWriteError("écriture refusée (test)")

    monkeypatch.setattr(master, "write_master", broken)
    with pytest.raises(master.MasterWriteError):
        consolidate_period(settings, PERIOD, workbooks_dir=small, output_dir=out,
                           today=dt.date(2018, 6, 3))  # fmt: skip
    assert History(out / "historique.sqlite").load(PERIOD) is None
    assert not [p for p in (out / PERIOD).rglob(".*") if p.is_file()]  # no temporary left
    assert not (out / PERIOD / "retours").exists()  # no new feedback beside no master
    assert (out / PERIOD / "archive" / "manifeste.csv").exists()  # the child's archive


def _describe(text: str, count: int) -> tuple:
    return text, count, text * count


def _fails() -> None:
    raise ValueError("échec voulu")


def test_frames_compared_here_are_real_frames(folder, settings):
    """Guard for the helpers above: a table read has rows to compare."""
    outcome = batch_read.read_one(folder / "axe-3" / "fiche_action_A3.10.xlsx", settings, folder)
    assert isinstance(outcome.data.tables["t_taches"], pd.DataFrame)
    assert len(outcome.data.tables["t_taches"]) >= 10
