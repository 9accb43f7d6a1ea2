"""Show user- and file-supplied text inside Streamlit markdown as the text it is.

Streamlit renders `st.markdown`, `st.caption`, `st.info`, `st.warning`, `st.error`, `st.success`, `st.toast`, labels
and help texts as GitHub-flavoured markdown with LaTeX (`$…$`), colour and icon directives (`:red[…]`,
`:material/…:`) and emoji shortcodes. A note, race name, header cell or file name that reaches one of them could load an
image from another host (`![x](http://host/leak)`), draw a LaTeX box over the page's buttons, or restyle the message.
`escape` makes such text literal; `quote` also puts it in quotation marks for a message.
"""

import re

# CommonMark lets a backslash escape any ASCII punctuation character; these are the ones that start markdown,
# LaTeX ($), Streamlit's directives (:, [, ]) or HTML-looking text (<, >, &).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&\"'=^])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def escape(text: object) -> str:
    """Return `text` as markdown that renders as exactly these characters, on one line.

    Every markdown, LaTeX or directive character is backslash-escaped and line breaks become spaces, so a value
    cannot start a heading, list, table or block of its own inside the message it is quoted in.
    """
    flat = _LINE_BREAKS.sub(" ", str(text))
    return _SPECIAL.sub(r"\\\1", flat)


def quote(text: object, limit: int = 80) -> str:
    """Return `text` escaped and in quotation marks, shortened to `limit` characters with an ellipsis."""
    value = str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return f"“{escape(value)}”"
