"""Every hostile file either reads or raises a ReadError subclass with a one-line message naming the
file: no other exception, within a time bound, under 1 GB of peak memory."""

from __future__ import annotations

import resource
import time

import pytest

from pipeline.read import ReadError, ReadOptions, read

from . import hostile

TIME_LIMIT_S = 20.0  # per file; OCR of one page is the slowest case (~1-3 s)
MEMORY_LIMIT_MB = 1024


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths = hostile.make_hostile_files(folder)
    options = ReadOptions(timeout_s=TIME_LIMIT_S)
    results = {}
    for path in paths:
        t = time.monotonic()
        try:
            text = read(path, options)
            outcome = ("ok", text)
        except ReadError as exc:
            outcome = (type(exc).__name__, exc)
        except Exception as exc:  # noqa: BLE001 - this is what the test is looking for
            outcome = ("ESCAPED", exc)
        results[path] = (outcome, time.monotonic() - t)
    return results


def test_at_least_sixty_files(outcomes):
    assert len(outcomes) >= 60


def test_only_read_errors_with_one_line_messages(outcomes):
    bad = []
    for path, ((kind, value), _) in outcomes.items():
        if kind == "ESCAPED":
            bad.append(f"{path.name}: {type(value).__name__}: {value}")
        elif kind != "ok":
            if value.path != str(path):
                bad.append(f"{path.name}: error names {value.path!r}")
            if not value.message or "\n" in value.message or "\r" in value.message or len(value.message) > 300:
                bad.append(f"{path.name}: message is not one short line: {value.message!r}")
            if "Traceback" in value.message:
                bad.append(f"{path.name}: traceback in message")
    assert not bad, "\n".join(bad)


def test_expected_outcomes(outcomes):
    wrong = []
    for path, ((kind, _), _) in outcomes.items():
        want = hostile.EXPECT.get(path.name)
        if want and want != kind:
            wrong.append(f"{path.name}: expected {want}, got {kind}")
    assert not wrong, "\n".join(wrong)


def test_time_bound(outcomes):
    slow = [f"{p.name}: {dt:.1f} s" for p, (_, dt) in outcomes.items() if dt > TIME_LIMIT_S]
    assert not slow, "\n".join(slow)


def test_peak_memory(outcomes):
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert own < MEMORY_LIMIT_MB, f"peak RSS {own:.0f} MB"
    assert children < MEMORY_LIMIT_MB, f"peak child RSS {children:.0f} MB"
