"""autograde: :class:`SandboxedExecute`, nbgrader's Execute, only when some graded cell needs a
kernel (:func:`needs_kernel`), in a bubblewrap sandbox of the student's own
(:mod:`canvastools.grader.sandbox`)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer, Unicode

from canvastools.grader.clean_content import OutputBudget
from canvastools.grader.intake import remove_tree
from canvastools.grader.step_context import (
    META,
    add_flag,
    course_paths,
    error_output,
    notebook_meta,
)


def needs_kernel(nb: NotebookNode) -> bool:
    """True when some graded cell can only be graded by running the notebook."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("metadata", {}).get(META, {}).get("scored"):
            continue
        if nbutils.is_grade(cell) or nbutils.is_solution(cell):
            return True
    return False


def runs_kernel(cells: dict[str, Any]) -> bool:
    """True when a notebook with these source cells (:func:`source_cells`) is graded by
    running it: a plain test, or a solution cell (the same rule as :func:`needs_kernel`)."""
    from canvastools.grading.testcells import parse_test_cell

    for cell in cells.values():
        if cell["cell_type"] != "code":
            continue
        if cell["solution"]:
            return True
        if cell["grade"]:
            try:
                if parse_test_cell(cell["source"]) is None:
                    return True
            except ValueError:
                continue  # a canvastools test with a wrong key: scored 0, never run
    return False


_WARNED_UNSANDBOXED = threading.Event()


class SandboxedExecute(OutputBudget, Execute):
    """nbgrader's Execute, only when needed, in a sandbox of the student's own
    (:mod:`canvastools.grader.sandbox`); never unsandboxed unless ``sandbox = False``."""

    execute = Enum(["auto", "always"], "auto",
                   help="'auto': run a kernel only when a graded cell needs one.").tag(config=True)
    sandbox = Bool(
        True, help="Run student code under bubblewrap. False runs it WITHOUT a sandbox for "
                   "the whole run (`canvastools autograde --no-sandbox`): every student whose "
                   "code runs is flagged 'unsandboxed'. With True, a student whose sandbox "
                   "cannot start is not graded (flag 'sandbox-unavailable').").tag(config=True)
    require_sandbox = Bool(
        True, help="No longer used: a sandbox is always required unless sandbox = False."
    ).tag(config=True)
    sandbox_attempts = Integer(3, help="Tries to start a student's sandbox (a short pause "
                                       "between two) before that student fails.").tag(
        config=True)
    max_output_bytes = Integer(2 * 1024**2,
                               help="Output kept from a notebook's run, in all.").tag(config=True)
    max_seconds = Integer(300, help="Wall-clock limit of one notebook's run.").tag(config=True)
    max_memory_bytes = Integer(1024**3, help="Memory of all the processes of one student's "
                                             "sandbox together (without swap).").tag(config=True)
    max_processes = Integer(256, help="Tasks (processes and threads) of one student's "
                                      "sandbox.").tag(config=True)
    max_scratch_bytes = Integer(256 * 1024**2, help="What a kernel may write to its working "
                                                    "folder (in memory), in all.").tag(
        config=True)
    scratch_parent = Unicode("", help="Where scratch copies are made (default: the system's "
                                      "temporary folder).").tag(config=True)
    shutdown_kernel = Enum(["graceful", "immediate"], "immediate",
                           help="How the kernel is stopped after the run: a student's kernel "
                                "is disposable, so it is not asked to tidy up.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any], km: Any = None):
        from canvastools.grader.sandbox import SandboxUnavailable

        meta = notebook_meta(nb)
        if self.execute == "auto" and not needs_kernel(nb):
            meta["kernel"] = "not needed"
            self.log.info("[canvastools] every graded cell is scored from the answers: "
                          "no kernel started")
            return nb, resources
        if not self.sandbox:
            meta["kernel"] = "unsandboxed"
            add_flag(self, nb, resources, "unsandboxed",
                     "student code ran WITHOUT a sandbox: the instructor turned it off for "
                     "this run")
            if not _WARNED_UNSANDBOXED.is_set():
                _WARNED_UNSANDBOXED.set()
                self.log.warning("[canvastools] STUDENT CODE RUNS UNSANDBOXED in this run "
                                 "(SandboxedExecute.sandbox = False)")
        paths = course_paths(self, resources)
        scratch = tempfile.mkdtemp(prefix="canvastools-kernel-",
                                   dir=self.scratch_parent or None)
        try:
            box = self._open_sandbox(scratch) if self.sandbox else None
            try:
                self._run(nb, resources, paths, scratch, box)
            finally:
                if box is not None:
                    box.close()
        except SandboxUnavailable as exc:
            add_flag(self, nb, resources, "sandbox-unavailable",
                     f"not graded: {exc}")
            raise
        finally:
            remove_tree(scratch)
        return nb, resources

    def _open_sandbox(self, scratch: str) -> Any:
        """This student's sandbox, started, or
        :class:`~canvastools.grader.sandbox.SandboxUnavailable`."""
        from canvastools.grader.sandbox import Limits, Sandbox

        limits = Limits(memory=self.max_memory_bytes, processes=self.max_processes,
                        disk=self.max_scratch_bytes)
        return Sandbox(limits=limits).start(scratch, self.sandbox_attempts, self.log)

    def _run(self, nb: NotebookNode, resources: dict[str, Any], paths: dict[str, str],
             scratch: str, box: Any) -> None:
        from canvastools.grader.sandbox import SandboxUnavailable, kill_kernel, make_kernel_manager

        meta = notebook_meta(nb)
        if box is not None:
            meta["kernel"] = "sandboxed"
            _copy_regular_files(paths["dest"], box.input)
            box.prepare()
        else:
            _copy_regular_files(paths["dest"], scratch)
        manager = make_kernel_manager(nb, scratch, box, self.config)
        run = dict(resources)
        run["metadata"] = dict(resources.get("metadata", {}), path=scratch)
        self._output_budget = self.max_output_bytes
        self._capped = False
        self._executed: set[int] = set()
        self._finished: set[int] = set()
        self._overspent = ""
        stop = threading.Event()
        watchdog = threading.Thread(target=self._watch, args=(manager, stop), daemon=True)
        watchdog.start()
        try:
            super().preprocess(nb, run, km=manager)
        except Exception as exc:  # noqa: BLE001 - a student's kernel never stops the batch
            problem = box.setup_problem() if box is not None else ""
            if problem and not self._executed:
                raise SandboxUnavailable(problem) from exc
            add_flag(self, nb, resources, "kernel-failed",
                     f"{type(exc).__name__}: {str(exc)[:300]}")
            self._fail_unexecuted(nb)
        finally:
            stop.set()
            client = getattr(self, "kc", None)
            if client is not None:
                client.stop_channels()
                self.kc = None
            kill_kernel(manager)
            for said in box.limits_hit() if box is not None else ():
                add_flag(self, nb, resources, "sandbox-limit", said)
        if self._overspent:
            add_flag(self, nb, resources, "kernel-failed", self._overspent)
        if self._capped:
            add_flag(self, nb, resources, "output-capped",
                     f"the notebook printed more than {self.max_output_bytes:,} bytes: "
                     "the rest was cut")

    def _watch(self, manager: Any, stop: threading.Event) -> None:
        """Stop the kernel at the wall-clock limit (tasks, memory and disk are the sandbox's
        own limits)."""
        from canvastools.grader.sandbox import kill_kernel

        if not stop.wait(self.max_seconds):
            self._overspent = f"stopped after {self.max_seconds} s"
            kill_kernel(manager)

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any], index: int):
        if cell.get("metadata", {}).get(META, {}).get("scored"):
            return cell, resources  # scored by the grader: never executed
        self._executed.add(index)
        result = super().preprocess_cell(cell, resources, index)
        self._finished.add(index)  # not reached when the kernel died while running the cell
        cell = result[0]
        if nbutils.is_grade(cell) and any(
                o.get("output_type") == "error" or o.get("name") == "stderr"
                for o in cell.get("outputs", [])):
            # a failed test scores 0 even when the kernel also sent a result (nbgrader reads
            # the first one: a hook of the student's could send one before the error)
            cell.outputs = [o for o in cell.outputs if o.get("output_type") != "execute_result"]
        return result

    def _fail_unexecuted(self, nb: NotebookNode) -> None:
        """A graded cell the dead kernel never ran (or was running when it died) would
        otherwise get full marks."""
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or index in self._finished:
                continue
            if cell.get("metadata", {}).get(META, {}).get("scored"):
                continue
            if nbutils.is_grade(cell):
                cell.outputs = [error_output("KernelFailed",
                                              "not run: the student's kernel had stopped")]


def _copy_regular_files(source: str, target: str) -> None:
    for dirpath, dirnames, filenames in os.walk(source):
        relative = os.path.relpath(dirpath, source)
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path) and not name.endswith(".ipynb"):
                shutil.copyfile(path, os.path.join(target, relative, name))
