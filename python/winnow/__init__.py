"""winnow: raw web crawls in, clean and well-described text out.

The Python face of winnow's C++ library (the same code as the `winnow`
command). Every function releases the GIL while it works, so threads run in
parallel. Errors raise ValueError (bad arguments, configuration, step
options, malformed documents), FileNotFoundError (missing inputs), OSError
(I/O errors, corrupt files, failed tasks) or RuntimeError.

    winnow.run(inputs, output, recipe=..., config=..., steps=...)
        a job over files, as `winnow run`; returns a summary dict
    winnow.process(docs, recipe=..., config=..., steps=...)
        in-memory documents (dicts) through per-document steps;
        returns (kept, removed)
    winnow.quality_signals(text)
        Gopher, C4 and FineWeb signals and verdicts of one text
    winnow.minhash(text, ...)
        datatrove-compatible MinHash signature

See docs/PYTHON.md in the repository.
"""

import json
import os
import tempfile

from . import _winnow

__version__ = "0.1.0"

__all__ = [
    "JobError",
    "TooManyRejected",
    "minhash",
    "process",
    "quality_signals",
    "recipes",
    "run",
    "step_types",
]


class JobError(OSError):
    """Tasks of a job failed (rerun the same call to retry only them).

    `summary` holds the job's summary dict; `summary["errors"]` has one
    message per failed task.
    """

    def __init__(self, message, summary):
        super().__init__(message)
        self.summary = summary


class TooManyRejected(RuntimeError):
    """More records were rejected than `max_rejected` allows (the CLI's exit
    status 3). The job's outputs are complete; `summary` holds its summary."""

    def __init__(self, message, summary):
        super().__init__(message)
        self.summary = summary


def _paths(inputs):
    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [inputs]
    return [os.fsdecode(p) for p in inputs]


class _ConfigFile:
    """A config given as a path, or as a dict written to a temporary file
    (JSON is YAML) for the library's YAML loader."""

    def __init__(self, config):
        self._config = config
        self._tmp = None

    def __enter__(self):
        if self._config is None:
            return None
        if isinstance(self._config, dict):
            fd, self._tmp = tempfile.mkstemp(prefix="winnow-config-", suffix=".yaml")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                try:
                    json.dump(self._config, f)
                except (TypeError, ValueError) as e:
                    raise ValueError(f"config: not representable as YAML: {e}") from None
            return self._tmp
        return os.fsdecode(self._config)

    def __exit__(self, *exc):
        if self._tmp is not None:
            os.unlink(self._tmp)


def run(inputs, output, recipe=None, config=None, threads=None, *, steps=None,
        compression=None, max_rejected=None, log=None):
    """Runs a job over files, exactly as `winnow run INPUTS -o OUTPUT`.

    inputs: a path or a list of files, directories (recursively) and globs
        (JSONL[.gz|.zst], WARC/WET/ARC, .txt).
    output: the output directory (kept/, removed/, rejected/, stats.json).
        Rerunning the same job resumes it; another job there is refused.
    recipe: a recipe name (winnow.recipes()); default "fineweb".
    config: a YAML job file (docs/CONFIG.md), or the same as a dict.
    steps: a step list as YAML's `steps:`: "type", {"type": ..., options},
        {"recipe": ...}. At most one of recipe, config and steps.
    threads: worker threads (default: the config's, else all cores).
    compression: "zstd" (default), "gzip" or "none".
    max_rejected: fraction of rejected records above which TooManyRejected
        is raised after the run.
    log: a callable receiving progress lines (str).

    Returns a dict: read, kept, removed, rejected (read = kept + removed +
    rejected), accounting_ok, steps (per-step counts and removal reasons),
    rejected_by_reason, tasks, tasks_skipped, tasks_fused, tasks_failed, wall_seconds,
    phases, stages, summary, output, stats_path, ...
    Raises JobError (an OSError) when tasks failed, with the summary.
    """
    with _ConfigFile(config) as config_path:
        summary = _winnow.run(_paths(inputs), os.fsdecode(output), recipe, config_path, steps,
                              threads, compression, max_rejected, log)
    if summary["tasks_failed"]:
        raise JobError(f"{summary['tasks_failed']} task(s) failed (rerun to retry them): "
                       + "; ".join(summary["errors"]), summary)
    if not summary["accounting_ok"]:
        raise RuntimeError("accounting check failed: read != kept + removed + rejected: "
                           + summary["summary"])
    if summary["too_many_rejected"]:
        raise TooManyRejected(f"rejected records exceed max_rejected: {summary['summary']}",
                              summary)
    return summary


def process(docs, recipe=None, steps=None, config=None):
    """Runs in-memory documents through per-document steps.

    docs: an iterable of dicts {"id": ..., "text": str, "metadata": {...}};
        other keys are moved into metadata (as the JSONL reader does).
    recipe / steps / config: as in run(); default recipe "fineweb". Steps
        run as in a job: drop_empty and extract_html first. Corpus-wide
        steps (exact_dedup, url_dedup, minhash_dedup; recipe "dedup") need
        the whole corpus and raise ValueError here: use run().

    Returns (kept, removed): lists of dicts in the JSONL output schema, in
    input order. Removed documents carry metadata["winnow"]["removed_by"]
    (the step name), ["reason"] and ["details"] (the deciding values); with
    write_signals the signals are under metadata["winnow"]["signals"].
    A malformed document raises ValueError naming its index and content.
    """
    with _ConfigFile(config) as config_path:
        return _winnow.process(docs, recipe, config_path, steps)


def quality_signals(text, options=None):
    """Gopher repetition, Gopher quality, C4 and FineWeb signals of one text.

    Each filter runs on the text on its own (not chained as in a recipe),
    with datatrove's defaults unless `options` overrides them, e.g.
    {"c4_quality": {"filter_no_terminal_punct": False}}.

    Returns {filter: {"keep": bool, "reason": str or None,
    "details": dict or None, "signals": dict}} for gopher_repetition,
    gopher_quality, c4_quality and fineweb_quality.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    return _winnow.quality_signals(text, options)


def minhash(text, *, shingle_size=5, num_buckets=14, hashes_per_bucket=8, seed=1,
            hash="xxhash"):
    """The MinHash signature of `text`, bit for bit datatrove's
    MinhashDedupSignature (v0.10.0, 64-bit precision).

    Returns num_buckets * hashes_per_bucket ints, band-major (band k is
    sig[k * hashes_per_bucket:(k + 1) * hashes_per_bucket]), or [] when the
    text has fewer than shingle_size words. hash: "xxhash" or "sha1".
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    for name, value in (("shingle_size", shingle_size), ("num_buckets", num_buckets),
                        ("hashes_per_bucket", hashes_per_bucket), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"minhash: {name} must be an int, not {value!r}")
    if not 0 <= seed < 2**32:
        raise ValueError("minhash: seed must be in [0, 2^32)")
    for name, value in (("shingle_size", shingle_size), ("num_buckets", num_buckets),
                        ("hashes_per_bucket", hashes_per_bucket)):
        if not 1 <= value <= 65536:
            raise ValueError(f"minhash: {name} must be in [1, 65536]")
    return _winnow.minhash(text, shingle_size, num_buckets, hashes_per_bucket, seed, hash)


def recipes():
    """{recipe name: [step types]} of the built-in recipes."""
    return _winnow.recipes()


def step_types():
    """{step type: one-line summary} of every built-in step."""
    return _winnow.step_types()
