"""Show user- and file-supplied text inside Streamlit markdown as the text it is.

Streamlit renders `st.markdown`, `st.caption`, `st.info`, `st.warning`, `st.error`, `st.success`, `st.toast`, labels
and help texts as GitHub-flavoured markdown with LaTeX (`$…$`), colour and icon directives (`:red[…]`,
`:material/…:`) and emoji shortcodes. A note, race name, header cell or file name that reaches one of them could load an
image from another host (`![x](http://host/leak)`), draw a LaTeX box over the page's buttons, or restyle the message.
`escape` makes such text literal; `quote` also puts it in quotation marks for a message.

Backslash escapes are not enough on their own: Streamlit (1.67) turns patterns in the text into icons
(`:material_delete:`, `:streamlit:`), emoji (`:smile:`), links (`http://…`, `www.…`, `a@b.com`) and arrows
(`->`, `--`, `>=`) *after* markdown has resolved the escapes, and shows raw HTML as text. An invisible word joiner
(U+2060) after each colon and `@` that is not followed by a space, inside `www.` and between the characters of an
arrow breaks those patterns; it shows as nothing, though it stays in text copied from the page.
tests/e2e/test_hostile_text_journey.py reads each hostile string back from Chromium as exactly its characters, with
no request to another host.
"""

import re

#: U+2060 WORD JOINER: no width, no line break, and not a word character, so it ends the patterns above.
JOINER = "\u2060"

# CommonMark lets a backslash escape any ASCII punctuation character; these are the ones that start markdown
# (headings, lists, emphasis, code, links, images, tables, strikethrough, entities like &amp;), LaTeX ($), Streamlit's
# directives (:, [, ]), HTML-looking text (<, >) or an arrow (=), and @ (bare e-mail links). Quotes mean nothing.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&=@])")
# Any run of whitespace shows as one space in HTML; a run that starts a line would start a code block in a label.
_WHITESPACE = re.compile(r"[ \t\r\n\f\v\x1c-\x1f\x85\u2028\u2029]+")
# In the escaped text: after ':' or '@' (but not before a space, where no pattern goes on), between 'www' and '.',
# between the characters of an arrow.
_PATTERN_START = re.compile(r"(\\[:@](?! )|(?i:www)(?=\\\.)|\\[-<>~](?=\\[->=]))")


def escape(text: object) -> str:
    """Return `text` as markdown that renders as exactly these characters, on one line.

    Every markdown, LaTeX or directive character is backslash-escaped, runs of whitespace (line breaks included)
    become one space, and a word joiner breaks each icon, emoji, link or arrow pattern (see the module's docstring).
    So a value cannot start a heading, list, table, code block or link of its own inside the message it is quoted
    in, fetch anything, or turn into an icon. Text that starts with a non-ASCII character (an emoji) starts with a
    word joiner, so an alert without an icon does not take the emoji for its icon.

    Meant for Streamlit elements that render markdown; inside a code span, `st.code` or `st.text` show the raw text.
    """
    flat = _WHITESPACE.sub(" ", str(text))
    escaped = _PATTERN_START.sub(rf"\1{JOINER}", _SPECIAL.sub(r"\\\1", flat))
    return JOINER + escaped if escaped[:1] > "\x7f" else escaped


def quote(text: object, limit: int = 80) -> str:
    """Return `text` escaped and in quotation marks, shortened to `limit` characters with an ellipsis."""
    value = _WHITESPACE.sub(" ", str(text)).strip()
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return f"“{escape(value)}”"
