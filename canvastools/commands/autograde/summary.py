"""What ``canvastools autograde`` shows: a progress bar while it runs, a summary at the end::

    print(format_summary(summary, course.root, "demo-classify"))
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from canvastools.grader.autograde_task import TaskResult


@dataclass
class Summary:
    """What a run did: graded, skipped (unchanged), failed (why) and flagged students."""

    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rekeyed: list[str] = field(default_factory=list)  # graded again: the key changed
    failed: dict[str, str] = field(default_factory=dict)
    flagged: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0
    unsandboxed: bool = False
    sandbox_off: bool = False  # --no-sandbox: the instructor's choice for the whole run


class Progress:
    """A tqdm bar on a terminal; a few plain lines (``12/40 graded``) otherwise."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.total, self.done, self.failed, self.flagged = total, 0, 0, 0
        self.stream = stream or sys.stderr
        self.bar = None
        self.step = max(1, total // 20)
        if getattr(self.stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="student", file=self.stream,
                            dynamic_ncols=True)

    def update(self, failed: bool, flagged: bool) -> None:
        """One more student done (``failed``, ``flagged``: how it went)."""
        self.done += 1
        self.failed += failed
        self.flagged += flagged
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, flagged=self.flagged, refresh=False)
            self.bar.update(1)
        elif self.done % self.step == 0 or self.done == self.total:
            print(f"{self.done}/{self.total} graded ({self.failed} failed, "
                  f"{self.flagged} flagged)", file=self.stream, flush=True)

    def close(self) -> None:
        """End the bar (the plain lines need no end)."""
        if self.bar is not None:
            self.bar.close()


def tally(summary: Summary, result: TaskResult) -> None:
    """Count one student's result into ``summary``."""
    if result.ok:
        summary.graded.append(result.student)
    else:
        summary.failed[result.student] = result.error
    if result.flags:
        summary.flagged[result.student] = result.flags
        if any(f["code"] == "unsandboxed" for f in result.flags):
            summary.unsandboxed = True


def format_summary(summary: Summary, course_root: str, assignment: str) -> str:
    """The summary printed at the end: graded, skipped, failed and flagged, with reasons."""
    from canvastools.grader.records import identical_answers, read_records, showable

    lines = [f"{len(summary.graded)} graded, {len(summary.skipped)} skipped (unchanged), "
             f"{len(summary.failed)} failed, {len(summary.flagged)} flagged "
             f"in {summary.seconds:.1f} s"]
    if summary.rekeyed:
        lines.append(f"key changed since last run: {len(summary.rekeyed)} re-graded")
    if summary.interrupted:
        lines.append("interrupted: the students listed as graded are in the gradebook; "
                     "run the command again to grade the rest")
    if summary.sandbox_off:
        lines.append("WARNING: --no-sandbox: STUDENT CODE RAN WITHOUT A SANDBOX in this run, "
                     "with your account's rights (every such student is flagged "
                     "'unsandboxed')")
    elif summary.unsandboxed:
        lines.append("WARNING: STUDENT CODE RAN WITHOUT A SANDBOX in this run "
                     "(c.SandboxedExecute.sandbox = False in nbgrader_config.py)")
    unavailable = sorted(s for s, flags in summary.flagged.items()
                         if any(f["code"] == "sandbox-unavailable" for f in flags))
    if unavailable:
        lines.append(f"{len(unavailable)} student(s) NOT graded because their sandbox could "
                     f"not start ({', '.join(unavailable[:10])}"
                     f"{', ...' if len(unavailable) > 10 else ''}): see "
                     "docs/grading-security.md, 'What an instructor's server needs'")
    for student, error in sorted(summary.failed.items()):
        lines.append(f"failed  {showable(student)}: {showable(error)}")
    for student, flags in sorted(summary.flagged.items()):
        for item in flags:
            lines.append(f"flagged {showable(student)}: {item['code']}: "
                         f"{showable(item['message'][:300])}")
    same = identical_answers(read_records(course_root, assignment))
    for student, others in same.items():
        if student in summary.graded and student not in summary.flagged:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more"
                                             if len(others) > 5 else "")
            lines.append(f"flagged {showable(student)}: identical-answers: the graded answers "
                         f"are identical to those of {showable(shown)}")
    from canvastools._io.literal import printable

    # student ids, file names and error texts: no terminal escape reaches the terminal raw
    return "\n".join(printable(line) for line in lines)
