"""Tokens and terms: the general English the analyzer knows, none of it about one knowledge base."""

from __future__ import annotations

import pickle

import pytest

from bot.model import Synonyms
from bot.retrieval.text import Analyzer, normalise, words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("see www.facebook.com/help", ["see", "www", "facebook", "com", "help"]),  # web addresses split
        ("config.yaml and node.js", ["config", "yaml", "and", "node", "js"]),
        ("costs £5,000 or 1.5 days", ["costs", "£5,000", "or", "1.5", "days"]),  # amounts stay whole
        ("is v1.5 or v2.0.1 live", ["is", "1.5", "or", "2.0.1", "live"]),  # versions are their numbers
        ("the trust’s data", ["the", "trust", "data"]),
    ],
)
def test_words(text, expected):
    assert words(normalise(text)) == expected


def test_irregular_verbs_meet_their_base_form():
    analyzer = Analyzer()
    assert analyzer.analyse("I sent it")[:1] == analyzer.analyse("send it")[:1]
    assert analyzer.stem("lost") == analyzer.stem("lose")
    assert analyzer.stem("left") != analyzer.stem("leave")  # "left" is also a direction


def test_everyday_synonyms_share_a_term_and_can_be_turned_off():
    on, off = Analyzer(), Analyzer(general=False)
    assert set(on.analyse("remove my photo")) & set(on.analyse("delete a picture")) >= {
        t for t in on.analyse("delete picture") if t.startswith("§")
    }
    assert not set(off.analyse("remove photo")) & set(off.analyse("delete picture"))


def test_a_word_with_two_senses_is_in_no_general_synonym_group():
    # "app" is read as "application" (english.ABBREVIATIONS), which is as often a form as a
    # program: an application form must not match a question about software.
    analyzer = Analyzer()
    assert set(analyzer.analyse("which software")) & set(analyzer.analyse("which program"))
    assert not set(analyzer.analyse("software")) & set(analyzer.analyse("a DARS application"))
    assert not set(analyzer.analyse("program")) & set(analyzer.analyse("my app"))


def test_knowledge_synonyms_and_acronyms_still_apply():
    analyzer = Analyzer(Synonyms({"dars": "data access request service"}, (("fee", "cost"),)))
    assert set(analyzer.analyse("DARS fee")) & set(analyzer.analyse("data access request service cost")) >= {
        "§acr_dars", "§syn0"
    }


def test_analyzer_survives_pickling():
    analyzer = pickle.loads(pickle.dumps(Analyzer()))
    assert analyzer.analyse("walking dogs") == ["walk", "dog"]


@pytest.mark.parametrize("a, b", [("it gets approved", "it got approved"), ("we needed the data", "we need the data"),
                                  ("she told us the fee", "tell us the fee")])
def test_a_stopped_verb_is_stopped_in_every_form(a, b):
    analyzer = Analyzer()
    assert analyzer.analyse(a) == analyzer.analyse(b) != []


def test_a_phrase_that_only_its_small_words_set_apart_is_matched_whole():
    analyzer = Analyzer(Synonyms({}, (("sign in", "login"), ("approval", "sign off"))), general=False)
    login, approval = "§syn0", "§syn1"
    assert login in analyzer.analyse("how do I sign in to SEFT") and login in analyzer.analyse("login")
    assert login not in analyzer.analyse("when do we sign the DSA")  # "sign" alone is not a login
    assert approval in analyzer.analyse("how quick is IGARD sign-off") and approval not in analyzer.analyse("sign it")
    stems, spans = analyzer.read(["do", "i", "sign", "in", "here"])
    assert stems == ["sign"] and spans == [(0, 1, login)]  # the label lands on the content word


def test_a_verb_and_its_particle_are_read_together():
    analyzer = Analyzer()
    log_in, log_out = set(analyzer.analyse("how do I log in")), set(analyzer.analyse("how do I log out"))
    labels = lambda terms: {t for t in terms if t.startswith("§")}  # noqa: E731
    assert labels(log_in) & labels(set(analyzer.analyse("sign in"))) and labels(log_in) & labels(set(analyzer.analyse("login")))
    assert not labels(log_in) & labels(log_out)


def test_the_stem_cache_is_bounded_whatever_is_typed():
    from bot.retrieval.text import Analyzer, stem

    analyzer = Analyzer()
    limit = stem.cache_info().maxsize
    assert limit is not None
    for n in range(limit + 500):
        analyzer.terms([f"zq{n}words"])
    assert stem.cache_info().currsize <= limit
    assert analyzer.stem("sent") == "send" and analyzer.stem("organizations") == analyzer.stem("organisations")


def test_contractions_typed_without_their_apostrophe_are_function_words_too():
    from bot.retrieval.text import STOP_WORDS

    assert {"hasnt", "weve", "thats", "theyre", "youve", "wasnt"} <= STOP_WORDS
    # Unless without the apostrophe they spell another word.
    assert not {"well", "ill", "shell", "hell", "wed", "shed", "lets"} & STOP_WORDS
