"""Crash-safe file replacement under a cross-process lock.

A writer takes an exclusive `flock` on a lock file beside the data, writes a temporary file in
the same folder, fsyncs it, renames it over the target (atomic on POSIX) and fsyncs the folder so
the rename itself survives a power cut. A reader therefore sees the old file or the new one,
never half of either, and concurrent writers queue instead of losing each other's changes.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Iterator

from bot.errors import BotError

LOCK_NAME = ".faq.lock"  # a dot-file: the knowledge loader ignores it
TEMP_PREFIX = ".tmp-"
# Tests set this to a number of seconds: the writer sleeps with half the new file written, so
# a test can kill it there and prove the target is untouched.
PAUSE_ENV = "CSDS_BOT_TEST_PAUSE_MID_WRITE"


class Busy(BotError):
    """Another process has held the knowledge folder's lock for too long."""

    exit_code = 1


class NotWritable(BotError):
    """The knowledge folder or one of its files cannot be written."""

    exit_code = 1


def _not_writable(path: Path, exc: OSError) -> NotWritable:
    return NotWritable(f"{path}: cannot write there ({exc.strerror or exc}); make the knowledge folder writable "
                       "or pass --knowledge DIR with a copy you can write to")


@contextlib.contextmanager
def locked(folder: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the folder's exclusive writer lock (blocks other writers, never readers)."""
    lock_path = folder / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _not_writable(lock_path, exc) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                _try_lock(fd)
                break
            except (BlockingIOError, PermissionError):
                if time.monotonic() > deadline:
                    raise Busy(
                        f"{lock_path}: another `csds-bot faq` is still writing after {timeout:.0f}s; "
                        "wait for it to finish, then try again"
                    ) from None
                time.sleep(0.01)
        _remove_stale_temps(folder)
        yield
    finally:
        os.close(fd)  # closing releases the flock, also when the process dies


def _try_lock(fd: int) -> None:
    """Take the exclusive lock or raise BlockingIOError (PermissionError on Windows) at once."""
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte instead; released when the handle closes
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_stale_temps(folder: Path) -> None:
    # Only the lock holder writes temp files, so any left now belong to a killed writer.
    for leftover in folder.rglob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def replace_file(path: Path, text: str) -> None:
    """Atomically make `path` contain `text` (UTF-8). Call while holding `locked(...)`."""
    try:
        _replace(path, text)
    except OSError as exc:
        raise _not_writable(path, exc) from None


def _replace(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        half = len(data) // 2
        os.write(fd, data[:half])
        pause = os.environ.get(PAUSE_ENV)
        if pause:
            time.sleep(float(pause))
        view = memoryview(data)[half:]
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    os.close(fd)
    os.chmod(temp, mode)  # os.open's mode is filtered by the umask; keep the original's
    os.replace(temp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder to fsync it; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
