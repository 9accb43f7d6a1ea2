"""A stretch figure in Chromium, shown as the Stretches page shows it (``st.image``: an ``<img>`` with a data URI)."""

import base64
import hashlib

from kneelog.views.figures import alt_text, figure_svg


def test_chromium_shows_the_figure_as_an_image_and_animates_it(browser):
    """As ``st.image`` shows it: an ``<img>`` with a data URI and alt text. The animated figure changes between
    two moments 1.2 s apart; the still one does not."""
    page = browser.new_page(viewport={"width": 700, "height": 300})
    images = "".join(
        f'<img id="{name}" alt="{alt_text("half_kneel_quad", "left")}" width="320" '
        f'src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
        for name, svg in (
            ("moving", figure_svg("half_kneel_quad", "left")),
            ("still", figure_svg("half_kneel_quad", "left", animated=False)),
        )
    )
    page.set_content(f"<body style='margin:0'>{images}</body>")
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")

    def looks() -> tuple[str, str]:
        return tuple(hashlib.sha256(page.locator(f"#{n}").screenshot()).hexdigest() for n in ("moving", "still"))

    moving_before, still_before = looks()
    page.wait_for_timeout(1200)
    moving_after, still_after = looks()
    page.close()
    assert moving_before != moving_after
    assert still_before == still_after
