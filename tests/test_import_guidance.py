"""Guidance updates: a saved copy of the guidance page in, guidance Markdown out, and `check` naming
the FAQ entries whose source section changed or went. The page is built from the bundled guidance
(so an unedited page must give back the same file, byte for byte) and then edited as a real update
would: a new cost, a new contact, a new review date and a section taken out."""

from __future__ import annotations

import html
import textwrap

import pytest
import yaml

from bot.knowledge import load_knowledge
from fixtures.cli import KNOWLEDGE, copy_knowledge, run

GUIDANCE = "guidance/csds-data-access.md"
EXPECTED_SECTIONS = {  # what the edits below touch, and how
    "Key contact details": "changed", "Cost of access": "changed",
    "Data Access Request Service (DARS)": "changed",  # its Step 4 subsection goes
    "Data Access Request Service (DARS) > Step 4.) Access": "gone",
}


def page_from_markdown(markdown: str) -> str:
    """The guidance as the web page would carry it: site chrome around a <main>, links on "here",
    paragraphs wrapped in the HTML source, entities escaped."""
    _, front, body = markdown.split("---\n", 2)
    meta = yaml.safe_load(front)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{html.escape(meta['title'])}</title>",
           f'<meta name="publisher" content="{html.escape(meta["publisher"])}">',
           '<script>var banner = "<p>Cookies</p>";</script><style>p { margin: 0 }</style></head><body>',
           '<header><nav><ul><li><a href="/">Home</a></li><li>Data and information</li></ul></nav></header>',
           "<main>"]
    in_list = False
    for line in body.splitlines():
        if in_list and not line.startswith("- "):
            out.append("</ul>")
            in_list = False
        if not line.strip():
            continue
        text = html.escape(line.lstrip("#- ").strip()).replace(" here.", ' <a href="https://digital.nhs.uk/x">here</a>.')
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{text}</h{level}>")
        elif line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"  <li>{text}</li>")
        else:
            out.append("<p>" + "\n   ".join(textwrap.wrap(text, 90)) + "</p>")
    out += ["</ul>"] if in_list else []
    out += ["</main>", "<footer><p>© NHS Digital</p><ul><li>Privacy</li></ul></footer></body></html>"]
    return "\n".join(out) + "\n"


def edited(page: str) -> str:
    changes = [
        ("A new application will cost around £1,000,", "A new application will cost around £1,200,"),
        ("enquiries@nhsdigital.nhs.uk</p>",
         "enquiries@nhsdigital.nhs.uk</p>\n<p>For DARS applications already in progress, email data.applications@nhs.net</p>"),
        ("Last reviewed: 16/01/23", "Last reviewed: 02/12/26"),
    ]
    for old, new in changes:
        assert page.count(old) == 1, old
        page = page.replace(old, new)
    start = page.index("<h3>Step 4.) Access</h3>")
    end = page.index("<h2>User access agreements</h2>")
    return page[:start] + page[end:]


@pytest.fixture
def folder(tmp_path):
    return copy_knowledge(tmp_path)


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page_from_markdown((KNOWLEDGE / GUIDANCE).read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_the_unedited_page_gives_back_the_bundled_file(folder, page, tmp_path):
    proc = run("import-guidance", str(page), "--knowledge", str(folder), "--write", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == f"{folder / GUIDANCE} already says what {page} says; nothing to do.\n"
    assert (folder / GUIDANCE).read_bytes() == (KNOWLEDGE / GUIDANCE).read_bytes()


def test_an_updated_page_shows_the_diff_and_check_names_the_entries_to_re_read(folder, page, tmp_path):
    stamped = run("faq", "checked", "--all", "--knowledge", str(folder), cwd=tmp_path)
    assert stamped.returncode == 0, stamped.stderr
    page.write_text(edited(page.read_text(encoding="utf-8")), encoding="utf-8")
    before = (folder / GUIDANCE).read_bytes()
    entries = load_knowledge(folder).faqs
    expected = {e.id: EXPECTED_SECTIONS[e.source] for e in entries if e.source in EXPECTED_SECTIONS}
    assert len(expected) >= 10

    shown = run("import-guidance", str(page), "--knowledge", str(folder), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    diff = shown.stdout.splitlines()
    assert diff[:2] == [f"--- {GUIDANCE} (now)", f"+++ {GUIDANCE} (from page.html)"]
    assert "-last_reviewed: 2023-01-16" in diff and "+last_reviewed: 2026-12-02" in diff
    assert "+For DARS applications already in progress, email data.applications@nhs.net" in diff
    assert any(line.startswith("+A new application will cost around £1,200,") for line in diff)
    assert "-### Step 4.) Access" in diff
    assert not any(line.startswith(("+", "-")) and ("Cookies" in line or "Privacy" in line or "Home" in line)
                   for line in diff)
    listed = {line.split(":")[0].strip() for line in diff if line.startswith("  ") and "”" in line}
    assert listed == set(expected)
    assert diff[-1] == f"Nothing written; run again with --write to replace {folder / GUIDANCE}."
    assert (folder / GUIDANCE).read_bytes() == before

    wrote = run("import-guidance", str(page), "--knowledge", str(folder), "--write", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.splitlines()[-1] == f"Wrote {folder / GUIDANCE}."
    knowledge = load_knowledge(folder)
    assert knowledge.documents[0].last_reviewed == "2026-12-02"
    assert knowledge.documents[0].title == "Community Services Data Set (CSDS) data access guidance"
    assert not any("Step 4.) Access" in p.section for p in knowledge.passages)
    assert not list(folder.rglob(".tmp-*"))

    check = run("check", "--strict", str(folder), cwd=tmp_path)
    assert check.returncode == 1, check.stdout
    warned = {}
    for line in check.stdout.splitlines():
        for entry_id in expected:
            if f"`{entry_id}`" in line and ": warning: " in line:
                warned[entry_id] = "gone" if "is no longer in the guidance" in line else "changed"
    assert warned == expected
    # Nothing else is named: the rest of the guidance reads as before (the new date alone changes no answer).
    others = [e.id for e in entries if e.id not in expected]
    assert not [line for line in check.stdout.splitlines() for i in others if f"`{i}`" in line and "guidance" in line]

    shown = run("faq", "show", "cost-how-much", "--knowledge", str(folder), cwd=tmp_path)
    checked_on = load_knowledge(folder).faqs[0].checked.split()[0]
    assert shown.stdout.splitlines()[-1] == (
        f"checked:  on {checked_on} against “Cost of access”, which has changed since; "
        "re-read the answer, then run `csds-bot faq checked cost-how-much`")
    rechecked = run("faq", "checked", "cost-how-much", "--knowledge", str(folder), cwd=tmp_path)
    assert rechecked.returncode == 0, rechecked.stderr
    shown = run("faq", "show", "cost-how-much", "--knowledge", str(folder), cwd=tmp_path)
    assert shown.stdout.splitlines()[-1].endswith("against “Cost of access” (unchanged since)")
    check = run("check", str(folder), cwd=tmp_path)
    assert "`cost-how-much`" not in check.stdout and "`cost-components`" in check.stdout


def test_import_errors_are_one_line_with_the_fix(folder, page, tmp_path):
    missing = run("import-guidance", str(tmp_path / "nope.html"), "--knowledge", str(folder), cwd=tmp_path)
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == (f"Error: {tmp_path / 'nope.html'}: cannot be read (No such file or directory); "
                              "give the saved copy of the page (File > Save Page As, HTML only)\n")
    undated = tmp_path / "undated.html"
    undated.write_text(page.read_text().replace("Last reviewed: 16/01/23", "Thanks for reading"))
    proc = run("import-guidance", str(undated), "--knowledge", str(folder), cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (1, f"Error: {undated}: the page states no review date (no “Last "
                                                 "reviewed” line); give the date it was reviewed with --reviewed YYYY-MM-DD\n")
    dated = run("import-guidance", str(undated), "--knowledge", str(folder), "--reviewed", "2026-12-01", cwd=tmp_path)
    assert dated.returncode == 0 and "+last_reviewed: 2026-12-01" in dated.stdout.splitlines()
