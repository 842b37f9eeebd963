"""The decision fitted per knowledge folder (bot.answering.calibration, bot.answering.drills),
on a small real folder in tmp_path and on the bundled knowledge."""

from __future__ import annotations

import math
import pickle

import pytest

from bot.answering import calibration
from bot.answering.engine import Engine
from bot.knowledge.loader import load_knowledge
from tests.conftest import KNOWLEDGE, write

# A folder of ten entries with alternates; ENTRIES maps id -> (question, alternates, answer).
ENTRIES = {
    "opening-hours": ("When is the library open?", ["library opening hours", "what time does the library open",
                      "is the library open on sundays", "what time do you close"],
                      "The library is open from 9am to 8pm Monday to Saturday and from 11am to 4pm on Sunday."),
    "borrow-limit": ("How many books can I borrow at once?", ["maximum number of loans", "how many items can i take out",
                     "is there a borrowing limit", "can i borrow ten books"],
                     "Members can borrow up to 12 items at a time, including books, audiobooks and DVDs."),
    "loan-period": ("How long can I keep a borrowed book?", ["loan period for books", "when is my book due back",
                    "how many weeks is a loan", "return date for loans"],
                    "Books are lent for 3 weeks. You can renew a loan twice online if nobody has reserved the item."),
    "late-fees": ("Are there fines for returning books late?", ["overdue charges", "what happens if my book is overdue",
                  "late return penalty", "do you charge for late books"],
                  "Adult members pay 25p a day for each overdue item, up to £5 an item. Children pay no fines."),
    "join": ("How do I join the library?", ["become a member", "sign up for a library card", "membership application",
             "get a library card"],
             "Bring proof of address to any branch, or register online and collect your card within 30 days."),
    "wifi": ("Is there free wifi in the library?", ["internet access at the branch", "wifi password",
             "can i use the internet", "public computers"],
             "Free wifi is available in every branch; ask at the desk for the current password."),
    "reserve": ("Can I reserve a book that is on loan?", ["place a hold on a book", "request an item",
                "how do reservations work", "book reservation fee"],
                "Yes. Reserve items through the online catalogue; you get an email when the item is ready. Reservations cost 50p."),
    "lost-card": ("What should I do if I lose my library card?", ["replace my card", "lost membership card",
                  "my card was stolen", "new card please"],
                  "Report the loss at any branch. A replacement card costs £2 and your loans stay on your account."),
    "printing": ("Can I print documents at the library?", ["printing cost", "photocopying", "is there a printer",
                 "colour printing price"],
                 "Printing and photocopying cost 10p a page in black and white and 50p a page in colour."),
    "study-rooms": ("Can I book a study room?", ["group study space", "quiet room booking", "meeting room hire",
                    "reserve a room to study"],
                    "Study rooms for up to six people can be booked free of charge for two hours at the central branch."),
}


def _folder(root, leave_out_entry: str = "", leave_out_alternate: str = ""):
    lines = []
    for entry_id, (question, alternates, answer) in ENTRIES.items():
        if entry_id == leave_out_entry:
            continue
        kept = [a for a in alternates if a != leave_out_alternate]
        lines += [f"- id: {entry_id}", f"  question: {question}", f"  alternates: [{', '.join(kept)}]",
                  f"  answer: {answer}"]
    write(root / "faq" / "library.yaml", "\n".join(lines) + "\n")
    return root


@pytest.mark.parametrize("entry_id, alternate", [("late-fees", "what happens if my book is overdue"),
                                                 ("lost-card", "replace my card")])
def test_a_held_out_alternate_is_answered_by_its_entry(tmp_path, entry_id, alternate):
    engine = Engine.from_folder(_folder(tmp_path, leave_out_alternate=alternate))
    answer = engine.ask(alternate)
    assert answer.answered, answer
    assert answer.top.id == entry_id
    assert answer.confidence >= engine.threshold


@pytest.mark.parametrize("question", ["how do i renew my passport", "what is the capital of france",
                                      "how long does it take to boil an egg"])
def test_a_question_about_something_the_folder_never_mentions_declines(tmp_path, question):
    engine = Engine.from_folder(_folder(tmp_path))
    answer = engine.ask(question)
    assert not answer.answered, answer.text


@pytest.mark.parametrize("entry_id", ["printing", "late-fees"])
def test_an_entry_question_with_its_entry_removed_declines(tmp_path, entry_id):
    engine = Engine.from_folder(_folder(tmp_path, leave_out_entry=entry_id))
    answer = engine.ask(ENTRIES[entry_id][0])
    assert not answer.answered, (answer.top.id, answer.confidence, engine.threshold)


def test_the_fit_is_checked_on_held_out_drills_and_reported(tmp_path):
    engine = Engine.from_folder(_folder(tmp_path))
    report = engine.calibration.report
    assert report.answerable > 0 and report.near_misses > 0 and report.unrelated > 0
    assert 0.5 < report.held_out_auc <= 1.0  # better than chance on drills it did not see
    assert engine.threshold == pytest.approx(calibration.WRONG_COST / (calibration.WRONG_COST + 1))
    assert f"held-out AUC {report.held_out_auc:.3f}" in report.describe()


def test_the_fit_is_kept_beside_the_index_in_the_cache(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "kb")
    first = Engine.from_folder(folder)
    cached = list((tmp_path / "cache" / "csds-bot").glob("*.derived.pickle"))
    assert len(cached) == 1
    with open(cached[0], "rb") as fh:
        pickle.load(fh)  # the key
        stored = pickle.load(fh)
    assert stored[2] == first.calibration

    def no_fit(*args, **kwargs):
        raise AssertionError("refitted although the cache is current")

    monkeypatch.setattr("bot.answering.engine.fit", no_fit)
    monkeypatch.setattr("bot.answering.engine._FITTED", {})
    assert Engine.from_folder(folder).calibration == first.calibration


def test_a_folder_with_nothing_to_fit_on_still_decides(tmp_path):
    write(tmp_path / "faq" / "one.yaml", "- id: only\n  question: When is the library open?\n"
          "  answer: The library is open from 9am to 8pm.\n")
    engine = Engine(load_knowledge(tmp_path))
    assert engine.ask("when is the library open").answered
    assert not engine.ask("how do i renew my passport").answered


def test_a_feature_fitted_against_its_known_direction_is_dropped():
    # Answerable drills have high coverage; here they also have *more* unknown words, a quirk the
    # fit must not learn: unknown words never make an answer likelier.
    covered, unknown = calibration.FEATURES.index("covered"), calibration.FEATURES.index("unknown")
    rows = []
    for n in range(60):
        right = n % 2 == 0
        features = [0.5] * len(calibration.FEATURES)
        features[covered] = (0.9 if right else 0.4) + (n % 7) / 70
        features[unknown] = (0.3 if right else 0.0) + (n % 5) / 50
        rows.append((features, int(right), "alternate" if right else "near", n))
    fitted = calibration.fit(rows)
    assert fitted.weights()["covered"] > 0
    assert fitted.weights()["unknown"] == 0.0
    assert not math.isnan(fitted.report.held_out_auc)


# -- the bundled knowledge: classes of wrong answer from issue 13, with wordings of our own ---------

@pytest.fixture(scope="module")
def bundled() -> Engine:
    return Engine(load_knowledge(KNOWLEDGE))


@pytest.mark.parametrize("question", [
    "how long can we keep the data",
    "how long may we keep the extract once we have it",
    pytest.param("how long are we allowed to store csds data for", marks=pytest.mark.xfail(
        strict=True, reason="issue 13: still answered with the approval time (covered 0.70: 'store' is its only "
        "missing word)")),
])
def test_a_retention_question_is_not_answered_with_the_approval_time(bundled, question):
    answer = bundled.ask(question)
    assert not (answer.answered and "30 working days" in answer.text), answer.text


@pytest.mark.parametrize("question", ["how do i renew my passport", "what is the capital of france",
                                      "how long does it take to boil an egg"])
def test_questions_the_guidance_never_covers_decline_with_the_bundled_knowledge(bundled, question):
    assert not bundled.ask(question).answered


@pytest.mark.xfail(strict=True, reason="issue 13: a near miss sharing two topic words with an alternate "
                   "('book appointments') still answers; not fixed by the fitted decision")
def test_booking_a_gp_appointment_declines(bundled):
    assert not bundled.ask("how do i book a GP appointment").answered


def test_the_fit_is_kept_by_content_so_a_copy_elsewhere_does_not_refit(tmp_path, monkeypatch):
    monkeypatch.setenv("CSDS_BOT_CALIBRATION_CACHE", str(tmp_path / "fits"))
    fits = []
    real_fit = calibration.fit
    monkeypatch.setattr("bot.answering.engine.fit", lambda *a, **k: fits.append(1) or real_fit(*a, **k))

    def fresh(folder):  # as a new process: no fit in memory, and this path's index cache is empty
        monkeypatch.setattr("bot.answering.engine._FITTED", {})
        return Engine.from_folder(folder)

    first = fresh(_folder(tmp_path / "one"))
    (stored,) = (tmp_path / "fits").glob("calibration-*.pickle")
    written = stored.stat().st_mtime_ns
    assert fresh(_folder(tmp_path / "two")).calibration == first.calibration  # same content, other path
    assert len(fits) == 1 and stored.stat().st_mtime_ns == written

    stored.write_bytes(b"damaged")  # a damaged file is refitted silently
    assert fresh(_folder(tmp_path / "three")).calibration == first.calibration
    assert len(fits) == 2

    changed = fresh(_folder(tmp_path / "four", leave_out_entry="lost-card"))  # other content: refits
    assert len(fits) == 3 and len(list((tmp_path / "fits").glob("calibration-*.pickle"))) == 2
    assert changed.calibration != first.calibration


def test_no_cache_turns_the_fit_cache_off_too(tmp_path, monkeypatch):
    monkeypatch.setenv("CSDS_BOT_CALIBRATION_CACHE", str(tmp_path / "fits"))
    monkeypatch.setenv("CSDS_BOT_NO_CACHE", "1")
    monkeypatch.setattr("bot.answering.engine._FITTED", {})
    Engine.from_folder(_folder(tmp_path / "kb"))
    assert not (tmp_path / "fits").exists()
