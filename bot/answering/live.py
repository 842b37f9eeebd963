"""Hot reload: an Engine that follows its knowledge folder while the bot runs.

A daemon thread polls the folder. Each poll first compares every knowledge file's size and
mtime (cheap); only when those differ, or every `HASH_EVERY` polls in case an edit kept both,
does it hash the content (`bot.knowledge.loader.fingerprint`). A new fingerprint means a new
Engine, built off to the side and swapped in with one assignment, so a question never sees half
a reload. A folder that fails to load (a broken hand edit) leaves the last good Engine serving and
logs the error, with file and line, once per broken version.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable, Sequence

from bot.answering.engine import Engine, calibrate
from bot.errors import KnowledgeError
from bot.knowledge.loader import default_knowledge_dir, fingerprint, knowledge_files, load_knowledge
from bot.model import Answer

log = logging.getLogger(__name__)

HASH_EVERY = 10  # polls between full content hashes, whatever the mtimes say


class LiveEngine:
    """Answers like `Engine`, from whatever the folder holds now (within `poll_seconds`)."""

    def __init__(self, folder: str | Path | None, poll_seconds: float = 1.0,
                 on_reload: Callable[[bool], None] | None = None) -> None:
        self.on_reload = on_reload  # told of each change: True loaded, False did not (metrics)
        self.folder = Path(folder) if folder is not None else default_knowledge_dir()
        self.poll_seconds = poll_seconds
        self.last_error: str | None = None  # why the newest version of the folder did not load
        self._reload_lock = threading.Lock()
        self._stamp = self._file_stamp()
        # The fingerprint is taken before loading: if a file changes during the load, the next
        # poll sees a difference and loads again rather than missing the change.
        self._fingerprint = self._safe_fingerprint()
        self.engine = Engine(load_knowledge(self.folder))  # no good knowledge yet: fail loudly
        self._failed: str | None = None
        self._polls = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if poll_seconds > 0:
            self._thread = threading.Thread(target=self._run, name="csds-bot-reload", daemon=True)
            self._thread.start()

    # -- answering -----------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[str] = (), top: int = 5) -> Answer:
        return self.engine.ask(question, history=history, top=top)

    def citation(self, answer: Answer) -> str:
        return self.engine.citation(answer)

    @property
    def knowledge(self):
        return self.engine.knowledge

    # -- reloading -------------------------------------------------------------------------------

    def reload_now(self) -> bool:
        """Check the folder now; True when a changed folder was loaded and swapped in."""
        return self._check(force_hash=True)

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self._polls += 1
                self._check(force_hash=self._polls % HASH_EVERY == 0)
            except Exception:  # a reload bug must not kill the thread and freeze the knowledge
                log.exception("knowledge reload of %s failed; still serving the last good knowledge", self.folder)
                self._tell(False)

    def _check(self, force_hash: bool) -> bool:
        with self._reload_lock:
            stamp = self._file_stamp()
            if stamp == self._stamp and not force_hash:
                return False
            self._stamp = stamp
            current = self._safe_fingerprint()
            if current == self._fingerprint:  # touched, or a broken edit undone
                self._failed = self.last_error = None
                return False
            if current == self._failed:
                return False
            try:
                # The edit is served at once with the decision fitted on the folder before it (an
                # entry more or less barely moves it); the one fitted on the new folder follows.
                engine = Engine(load_knowledge(self.folder), calibration=self.engine.calibration)
            except KnowledgeError as exc:
                self._failed = current
                self.last_error = str(exc)
                log.error("knowledge folder changed but does not load: %s. Still serving the last good "
                          "knowledge; fix the file and it will be picked up.", exc)
                self._tell(False)
                return False
            self.engine = engine  # one reference assignment: atomic for readers in other threads
            self._fingerprint = current
            self._failed = None
            self.last_error = None
            log.info("reloaded knowledge from %s (%d FAQ entries)", self.folder, len(engine.knowledge.faqs))
            self._tell(True)
            threading.Thread(target=self._refit, args=(engine,), name="csds-bot-refit", daemon=True).start()
            return True

    def _tell(self, ok: bool) -> None:
        if self.on_reload is not None:
            self.on_reload(ok)

    def _refit(self, engine: Engine) -> None:
        """Swap in the decision fitted on the new folder (a few seconds: off the caller's path, so
        a Slack handler that reloads still acknowledges within Slack's 3 s)."""
        try:
            refitted = Engine(engine.knowledge, engine.index, calibrate(engine.knowledge, engine.index))
        except Exception:  # the previous fit keeps serving: a worse decision, not a dead bot
            log.exception("refitting the decision for %s failed; keeping the previous one", self.folder)
            return
        with self._reload_lock:
            if self.engine is engine:  # not replaced by a newer reload meanwhile
                self.engine = refitted

    def _file_stamp(self) -> tuple:
        try:
            guidance, faqs = knowledge_files(self.folder)
            extra = [self.folder / n for n in ("synonyms.yaml", "bot.yaml")]
            out = []
            for path in [*guidance, *faqs, *extra]:
                try:
                    st = path.stat()
                except FileNotFoundError:
                    continue
                out.append((str(path), st.st_mtime_ns, st.st_size))
            return tuple(out)
        except OSError:
            return ()

    def _safe_fingerprint(self) -> str:
        try:
            return fingerprint(self.folder)
        except OSError:  # a file vanished mid-hash (an editor's save); the next poll will see it
            return ""

    def close(self) -> None:
        """Stop watching the folder (the current Engine keeps answering)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> "LiveEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
