"""Carrying out a plan: render the stale outputs, remove the gone ones, update the record.

Each output is rendered inside its own :class:`~newsarchive.engine.tracking.Reads`, and
what it read replaces what it read last time in the record. A render that fails stops the
build after the record has been brought up to date with what was done: outputs planned but
not rendered are dropped from the record, so the next build renders them.

A large plan is split into interleaved shares rendered by forked worker processes
(:mod:`newsarchive.engine.parallel`); each returns what it wrote and read, and the parent
records it exactly as if it had rendered everything itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsarchive.engine import parallel, tracking
from newsarchive.engine.options import FirstPass
from newsarchive.engine.planner import Plan, settle
from newsarchive.engine.record import OutputEntry, Record
from newsarchive.engine.verify import folder_stamps, folders_of
from newsarchive.errors import BuildError, NewsArchiveError
from newsarchive.render.steps import Output, render
from newsarchive.site.site import Site

log = logging.getLogger(__name__)

# Below this many outputs per extra process, forking costs more than it saves.
MIN_PER_PROCESS = 64


@dataclass
class Written:
    """One output as rendered: its file's stat, whether its bytes changed, what it read."""

    path: str
    size: int
    mtime_ns: int
    changed: bool
    reads: bytes


@dataclass
class RunResult:
    rendered: list[str] = field(default_factory=list)  # outputs rendered (sorted)
    changed: list[str] = field(default_factory=list)  # outputs whose bytes changed
    removed: list[str] = field(default_factory=list)


class FileSink:
    """Where a render step's bytes go: the Pelican writer (or anything alike) sets it."""

    def __init__(self) -> None:
        self.written: list[tuple[str, int, int, bool]] = []


RendererFactory = Callable[[FileSink], Any]


def _render_share(
    site: Site, outputs: Sequence[Output], make_renderer: RendererFactory, progress: Any
) -> tuple[list[Written], dict[str, tuple[bytes, bytes]], tuple[int, Any] | None]:
    """Render *outputs* in this process: what each wrote and read, the derived facts
    computed, and the first error (position, pickled message) if any."""
    sink = FileSink()
    renderer = make_renderer(sink)
    done: list[Written] = []
    error = None
    for position, out in enumerate(outputs):
        sink.written.clear()
        tracking.push()
        try:
            render(site, out, renderer)
        except Exception as exc:  # reported by the parent, after recording what was done
            tracking.pop()
            error = (position, _message(exc, out))
            break
        reads = tracking.pop()
        size, mtime, changed = 0, 0, False
        for path, file_size, file_mtime, file_changed in sink.written:
            if path == out.path:
                size, mtime = file_size, file_mtime
            changed = changed or file_changed
        done.append(Written(out.path, size, mtime, changed, reads.dumps()))
        if progress is not None:
            progress(1)
    derived = {
        key: (reads.dumps(), site.derived.digests[key]) for key, reads in site.derived.reads.items()
    }
    return done, derived, error


def _message(exc: BaseException, out: Output) -> tuple[str, str | None, int | None]:
    """The error as plain values (it may cross a process boundary): message, path, line."""
    from newsarchive.build import describe_exception

    error = exc if isinstance(exc, NewsArchiveError) else describe_exception(exc, out.path)
    return error.message, None if error.path is None else str(error.path), error.line


def run(
    plan: Plan,
    site: Site,
    record: Record,
    make_renderer: RendererFactory,
    *,
    jobs: int,
    progress: Any = None,
    first_pass: FirstPass | None = None,
    edited: Container[int] = (),
) -> RunResult:
    """Carry out *plan*. *first_pass*: render the pages of the *edited* articles and its
    pages first and tell it what changed by then (the dev server reloads the open pages
    they are); the plan's derived facts are settled after that pass (a page stale only
    through them, such as another article's related list, is rendered in the second)."""
    result = RunResult()
    output = site.settings.output_path
    if plan.render or plan.remove or plan.strays or plan.suspects:
        record.begin_writing()
    for path in plan.remove:
        entry = record.drop_output(path)
        record.set_reads(entry.id, None)
        _remove(output, path)
        result.removed.append(path)
    for path in plan.strays:  # files no build made (an older build's, or by hand)
        _remove(output, path)
        result.removed.append(path)

    passes = _passes(plan.render, first_pass, edited, bool(result.removed or plan.suspects))
    if len(passes) == 1:
        settle(site, record, plan)
        passes = [plan.render]
    errors: list[tuple[int, Any]] = []
    for number, part in enumerate(passes):
        if number == 1:
            part = sorted([*part, *settle(site, record, plan)], key=lambda out: out.path)
        errors = _render_part(part, site, record, make_renderer, jobs, progress, result)
        if errors:
            break
        if number == 0 and len(passes) == 2 and first_pass is not None:
            first_pass.done(frozenset(result.changed), frozenset(result.removed))
    _drop_gone_derived(site, record, plan)
    _note_folders(record, output, plan, result)
    rendered = set(result.rendered)
    record.dirty = {p for p in record.dirty if p not in rendered and p in record.outputs}
    if errors:
        # not rendered: the next build must render them, whatever changed or not by then
        # (recorded as outputs of their scope, so a new one is not forgotten either)
        left = [out for out in plan.render if out.path not in rendered]
        for out in left:
            _put_entry(record, out, -1, -1)
        record.dirty = record.dirty | {out.path for out in left}
        record.save()
        message, path, line = min(errors)[1]
        raise BuildError(message, path=path, line=line)
    result.changed.sort()
    result.rendered.sort()
    return result


def _passes(
    outputs: list[Output], first_pass: FirstPass | None, edited: Container[int], more: bool
) -> list[list[Output]]:
    """The outputs in one pass, or two: those *first_pass* wants, then the rest. A first
    pass is worth announcing when it renders something and leaves a rest, or when there is
    *more* to do after it (outputs removed already, derived facts to settle)."""
    if first_pass is None:
        return [outputs]
    pages = first_pass.pages
    wanted = [
        out.path in pages or (out.kind == "article" and out.params[0] in edited) for out in outputs
    ]
    first = [out for out, w in zip(outputs, wanted, strict=True) if w]
    rest = [out for out, w in zip(outputs, wanted, strict=True) if not w]
    if not (first or more) or not (rest or more):
        return [outputs]
    return [first, rest]


def _render_part(
    outputs: list[Output],
    site: Site,
    record: Record,
    make_renderer: RendererFactory,
    jobs: int,
    progress: Any,
    result: RunResult,
) -> list[tuple[int, Any]]:
    """Render *outputs* (in forked shares when it pays) and record each; the errors, by
    position in *outputs*."""
    shares = max(1, min(jobs, len(outputs) // MIN_PER_PROCESS))
    if shares > 1 and parallel.can_fork():
        results = parallel.run_shares(
            shares, lambda k: _render_share(site, outputs[k::shares], make_renderer, None)
        )
        if progress is not None:
            progress(len(outputs))
    else:
        shares = 1
        results = [_render_share(site, outputs, make_renderer, progress)]
    errors = []
    by_path = {out.path: out for out in outputs}
    for k, (done, derived, error) in enumerate(results):
        for item in done:
            _record_output(record, by_path[item.path], item)
            result.rendered.append(item.path)
            if item.changed:
                result.changed.append(item.path)
        for key, (reads, digest) in derived.items():
            record.set_derived(key, tracking.Reads.loads(reads), digest)
        if error is not None:
            errors.append((k + error[0] * shares, error[1]))
    return errors


def _put_entry(record: Record, out: Output, size: int, mtime_ns: int) -> int:
    """Record *out*'s entry with this stat, under the id it had (a new one if it is new)."""
    entry = record.outputs.get(out.path)
    output_id = entry.id if entry is not None else record.new_id()
    record.put_output(out.path, OutputEntry.of(output_id, out, size, mtime_ns))
    return output_id


def _record_output(record: Record, out: Output, item: Written) -> None:
    output_id = _put_entry(record, out, item.size, item.mtime_ns)
    record.set_reads(output_id, tracking.Reads.loads(item.reads))


def _note_folders(record: Record, output: Any, plan: Plan, result: RunResult) -> None:
    """Record the mtimes of the folders this build wrote or removed in (all of them after
    a walk): the next build lists only a folder whose mtime it finds changed since."""
    if plan.walked:
        record.set_folders(folder_stamps(output, folders_of(record.outputs)), every=True)
    elif result.rendered or result.removed:
        touched = folders_of([*result.rendered, *result.removed])
        record.set_folders(folder_stamps(output, touched), every=False)


def _drop_gone_derived(site: Site, record: Record, plan: Plan) -> None:
    """Derived facts about articles or entities that no longer exist are forgotten."""
    if not plan.restructured:
        return
    structure = site.structure
    for key in [k for k in record.facts if k.startswith(("related:", "cooccur:"))]:
        prefix, _, argument = key.partition(":")
        if prefix == "related":
            alive = int(argument) in structure.resolved
        else:
            kind, _, name = argument.partition(":")
            alive = ("entity", kind, name) in structure.groups
        if not alive:
            record.set_derived(key, None, None)


def _remove(output: os.PathLike[str], path: str) -> None:
    target = os.path.join(output, path)  # noqa: PTH118 - a path from the record
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)  # noqa: PTH108
    folder = os.path.dirname(target)  # noqa: PTH120
    while os.path.realpath(folder) != os.path.realpath(output):
        try:
            os.rmdir(folder)  # noqa: PTH106 - only when empty
        except OSError:
            break
        folder = os.path.dirname(folder)  # noqa: PTH120


__all__ = ["RunResult", "run"]
