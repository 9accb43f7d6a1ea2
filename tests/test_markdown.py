"""kneelog.views.markdown: user- and file-supplied text shown inside Streamlit markdown as exactly its characters.

Here the markdown source `escape` writes; tests/e2e/test_hostile_text_journey.py reads what Chromium renders from it.
What Streamlit 1.67 does with a message's source, and so what these tests rule out:
- markdown (CommonMark + GFM): a backslash before ASCII punctuation makes it literal, so every character that starts
  markup must have one;
- KaTeX renders `$…$` unless the `$` is backslash-escaped;
- after the escapes are resolved, it replaces `:material_name:` (written `:material/name:`), `:streamlit:`, emoji
  shortcodes (`:smile:`, when the source has a `:word:`), bare links (`http://`, `www.`, `a@b.c`) and arrows (`->`,
  `--`, `>=`) in the text, so the resolved text must not hold them.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneelog.views.markdown import JOINER, escape, quote
from tests.test_hostile_text import MARKDOWN_HOSTILE

J = JOINER
#: Characters that start markdown, LaTeX, a directive, HTML, an entity, an arrow or a bare link.
MARKUP = set("\\`*_{}[]()#+-.!|<>$~:&=@")


def resolved(source: str) -> str:
    """What the text of a paragraph holds once markdown has resolved the backslash escapes."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)


def unescaped_markup(source: str) -> set[str]:
    """The markup characters of ``source`` that no backslash makes literal."""
    return set(re.sub(r"\\[!-/:-@\[-`{-~]", "", source)) & MARKUP


#: What Streamlit turns into something else in the resolved text (the module docstring above).
REPLACED_IN_TEXT = {
    "an icon": r":material[/_]\w+:|:streamlit:",
    "an emoji": r":[\w+-]+:",
    "a link": r"(?i)https?://|www\.|[\w.+-]@[\w-]+\.",
    "an arrow": r"<->|->|<-|--|>=|<=|~=",
}
#: Streamlit loads its emoji plugin only when a message's source matches this (StreamlitMarkdown, 1.67).
EMOJI_PLUGIN_NEEDED = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Tempo run 8 km", "Tempo run 8 km"),
        ("![x](http://127.0.0.2:9/leak)", rf"\!\[x\]\(http\:{J}//127\.0\.0\.2\:{J}9/leak\)"),
        (r"$\rule{4000px}{4000px}$", r"\$\\rule\{4000px\}\{4000px\}\$"),
        (":red[big]", rf"\:{J}red\[big\]"),
        (":material/delete:", rf"\:{J}material/delete\:{J}"),
        (":smile:", rf"\:{J}smile\:{J}"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("[link](javascript:alert(1))", rf"\[link\]\(javascript\:{J}alert\(1\)\)"),
        ("# heading", r"\# heading"),
        ("- list", r"\- list"),
        ("1. first", r"1\. first"),
        ("| a | b |", r"\| a \| b \|"),
        ("**bold** _it_ `code` ~~no~~", r"\*\*bold\*\* \_it\_ \`code\` \~\~no\~\~"),
        (r"C:\runs\*x*", rf"C\:{J}\\runs\\\*x\*"),
        ("&amp; stays &amp;", r"\&amp; stays \&amp;"),
        ('Anna\'s "long" run', 'Anna\'s "long" run'),
        ("line one\nline two\r\n\n\tthree", "line one line two three"),
        ("    four spaces", " four spaces"),
        ("a@b.com", rf"a\@{J}b\.com"),
        ("Run: easy, 12:30 @ home", rf"Run\: easy, 12\:{J}30 \@ home"),
        ("ends with a colon:", rf"ends with a colon\:{J}"),
        ("WWW.x.org", rf"WWW{J}\.x\.org"),
        ("a -> b <= c", rf"a \-{J}\> b \<{J}\= c"),
        ("🏃 first", f"{J}🏃 first"),
    ],
)
def test_escape_writes_markdown_that_reads_as_the_text(text, source):
    assert escape(text) == source


def test_escape_takes_any_object_as_its_text():
    assert escape(ValueError("row 3: *bad*")) == r"row 3\: \*bad\*"
    assert escape(12.5) == r"12\.5"


@pytest.mark.parametrize("text", MARKDOWN_HOSTILE.values(), ids=MARKDOWN_HOSTILE.keys())
def test_hostile_text_keeps_no_markup(text):
    source = escape(text)
    assert not unescaped_markup(source)
    assert "\n" not in source and "\r" not in source


_ALPHABET = st.one_of(st.sampled_from(sorted(MARKUP) + list(" \n\t:wWhtpsmaterilS/_+-@>=~😀é")), st.characters())


@given(st.text(_ALPHABET, max_size=60))
def test_escape_reads_back_as_the_text_on_one_line(text):
    flat = re.sub(r"[ \t\r\n\f\v\x1c-\x1f\x85\u2028\u2029]+", " ", text)
    assert resolved(escape(text)).replace(J, "") == flat.replace(J, "")


@given(st.text(_ALPHABET, max_size=60))
def test_escape_leaves_no_markup_and_nothing_streamlit_would_replace(text):
    source = escape(text)
    assert not unescaped_markup(source)
    assert not re.search(r"[\r\n\u2028\u2029]", source)
    assert ":material/" not in source  # Streamlit rewrites it to :material_ before parsing
    assert not EMOJI_PLUGIN_NEEDED.search(source)
    for what, pattern in REPLACED_IN_TEXT.items():
        found = re.search(pattern, resolved(source))
        assert found is None, f"{found.group()!r} in {source!r} would become {what}"


@given(st.text(_ALPHABET, max_size=30), st.text(_ALPHABET, max_size=30))
def test_escaped_text_next_to_a_pages_own_colon_starts_no_emoji(before, after):
    assert not EMOJI_PLUGIN_NEEDED.search(f"{escape(before)}: {escape(after)}:")


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("Parkrun", 80, "“Parkrun”"),
        ("**Spring 10k**", 80, r"“\*\*Spring 10k\*\*”"),
        ("abcdefghijkl", 6, "“abcde…”"),
        ("  two\nlines  ", 80, "“two lines”"),
    ],
)
def test_quote_puts_the_escaped_text_in_quotation_marks_and_cuts_it_to_the_limit(text, limit, shown):
    assert quote(text, limit) == shown
