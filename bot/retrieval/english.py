"""General English that any knowledge base benefits from: irregular verb forms and common
help-desk synonyms.

Nothing here is about one knowledge base. A stemmer cannot map "sent" to "send" or "lost" to
"lose", and people asking for help use everyday words for the same action ("delete" / "remove",
"photo" / "picture"); a knowledge folder's own synonyms.yaml adds its domain's words on top.
"""

from __future__ import annotations

# Past tense and participle -> base form, for the common irregular verbs.
_IRREGULAR = """
arise arose arisen; awake awoke awoken; be was were been; bear bore borne; beat beaten;
become became; begin began begun; bend bent; bet; bind bound; bite bit bitten; bleed bled;
blow blew blown; break broke broken; breed bred; bring brought; build built; burn burnt;
buy bought; catch caught; choose chose chosen; cling clung; come came; cost; creep crept;
cut; deal dealt; dig dug; do did done; draw drew drawn; dream dreamt; drink drank drunk;
drive drove driven; eat ate eaten; fall fell fallen; feed fed; feel felt; fight fought;
find found; flee fled; fly flew flown; forbid forbade forbidden; forget forgot forgotten;
forgive forgave forgiven; freeze froze frozen; get got gotten; give gave given; go went gone;
grind ground; grow grew grown; hang hung; have had; hear heard; hide hid hidden; hit;
hold held; hurt; keep kept; know knew known; lay laid; lead led; leave left; lend lent;
let; lie lay lain; light lit; lose lost; make made; mean meant; meet met; pay paid; put;
quit; read; ride rode ridden; ring rang rung; rise rose risen; run ran; say said; see saw
seen; seek sought; sell sold; send sent; set; shake shook shaken; shine shone; shoot shot;
show showed shown; shrink shrank shrunk; shut; sing sang sung; sink sank sunk; sit sat;
sleep slept; slide slid; speak spoke spoken; spend spent; spin spun; split; spread;
stand stood; steal stole stolen; stick stuck; sting stung; strike struck; swear swore sworn;
sweep swept; swim swam swum; swing swung; take took taken; teach taught; tear tore torn;
tell told; think thought; throw threw thrown; understand understood; undo undid undone;
upset; wake woke woken; wear wore worn; weave wove woven; win won; wind wound; withdraw
withdrew withdrawn; write wrote written; rewrite rewrote rewritten; overwrite overwrote
overwritten; undergo underwent undergone; mislay mislaid; mistake mistook mistaken
"""

# Forms that are also common words in their own right keep their own meaning.
_AMBIGUOUS = frozenset({"left", "found", "ground", "lay", "lie", "lit", "saw", "wound", "lead",
                        "bound", "read", "fell", "rose", "put", "set", "cut", "hit", "let"})


def _irregular() -> dict[str, str]:
    table = {}
    for group in _IRREGULAR.split(";"):
        forms = group.split()
        if not forms:
            continue
        base = forms[0]
        for form in forms[1:]:
            if form not in _AMBIGUOUS:
                table[form] = base
    return table


IRREGULAR = _irregular()

# Everyday words for the same thing in questions to a help desk. Each group shares one term, so
# a question with one word matches an answer with another; the words themselves still count
# more (they also match directly). Multi-word members are phrases; a verb and its particle
# ("log in" / "log out") are matched whole, particle included (see text.Analyzer).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("delete", "remove", "erase", "get rid of", "wipe"),
    ("find", "search", "locate", "look for"),
    ("change", "modify", "edit", "alter"),
    ("show", "display", "view"),
    ("hide", "conceal"),
    ("stop", "disable", "deactivate"),
    ("enable", "activate"),
    ("begin", "start"),
    ("finish", "end", "complete"),
    ("picture", "photo", "image", "pic", "photograph"),
    ("email", "e-mail", "mail"),
    ("website", "web site", "site", "webpage", "web page", "webapp", "web app"),
    ("folder", "directory"),
    ("link", "url", "hyperlink"),
    ("big", "large", "huge"),
    ("small", "little", "tiny"),
    ("fast", "quick", "rapid"),
    ("easy", "simple"),
    ("buy", "purchase"),
    ("error", "problem", "issue", "bug"),
    ("fix", "repair", "solve", "resolve"),
    ("copy", "duplicate"),
    ("combine", "merge", "join"),
    ("split", "separate", "divide"),
    ("reply", "respond", "response", "answer"),
    ("notify", "notification", "alert"),
    ("settings", "options", "preferences"),
    ("several", "multiple", "many"),
    ("phone", "mobile", "smartphone", "cellphone"),
    ("computer", "pc", "laptop", "desktop"),
    # Not "app": it reads as "application" (ABBREVIATIONS), as often a form as a program, and
    # the group made every "DARS application" answer a question about software (2026-12-06:
    # six drill seeds' cost over the five CSDS sets 237.0 -> 235.0, blind sets unchanged).
    ("program", "software"),
    # Other words of two senses tried out of their groups on 2026-12-06 (six drill seeds' cost
    # over the five CSDS sets, 235.0 with the groups as they are): "issue" (a DSA is issued)
    # 234.7, "complete" (complete the form) 234.7, "site" (a hospital site) 235.0, "settings"
    # (care settings) 232.7 but StackFAQ zero-shot 0.833 -> 0.832, under its floor. Within the
    # seeds' spread, so left as they are.
    ("automatic", "automatically", "auto"),
    ("login", "signin", "logon", "log in", "sign in", "log on"),
    ("logout", "signout", "logoff", "log out", "sign out", "log off"),
    ("register", "signup", "registration", "sign up"),
    ("user name", "username"),
    ("unsubscribe", "optout", "opt out"),
    ("block", "ban"),
    ("keyboard shortcut", "shortcut", "hotkey"),
    ("limit", "restrict", "restriction"),
    ("old", "previous", "earlier", "older"),
    ("download", "save a copy"),
)

# Chat shorthand for content words, read as the full word (applied before stemming). Shorthand
# for function words ("b4", "thru") is in text.STOP_WORDS instead. Shorthand with two common
# readings is left alone: "doc" (document, doctor), "min", "temp", "dev", "acc". "app" reads as
# "application", which covers both the form and the program. A kind of period reads as the period
# ("fy", the financial year, as "year"; "qtr" as "quarter"): the kind rarely changes the answer, and
# a knowledge base that says "financial" will still match the chat's "year".
ABBREVIATIONS: dict[str, str] = {
    "approx": "approximately", "info": "information", "docs": "documents", "govt": "government",
    "dept": "department", "org": "organisation", "orgs": "organisations", "max": "maximum",
    "mins": "minutes", "hr": "hour", "hrs": "hours", "wk": "week", "wks": "weeks", "mth": "month",
    "mths": "months", "yr": "year", "yrs": "years", "tel": "telephone", "msg": "message",
    "msgs": "messages", "pic": "picture", "pics": "pictures", "req": "request",
    "reqs": "requirements", "diff": "difference", "pw": "password", "pwd": "password",
    "acct": "account", "num": "number", "avg": "average", "config": "configuration",
    "app": "application", "apps": "applications", "admin": "administration", "stats": "statistics",
    "fy": "year", "qtr": "quarter", "appt": "appointment", "appts": "appointments", "mgr": "manager",
}
