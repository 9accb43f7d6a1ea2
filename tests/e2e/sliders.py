"""Setting the check-in's pain sliders the way a runner does: a tap on the slider's track at the stop wanted.

The sliders (``st.select_slider``) have twelve stops: "—" (no score; "not yet" for the morning after), then 0 to 10.
A tap is what a thumb does on a phone, and it only lands if the track is on screen and wide enough to hit one stop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.harness import expect, key

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Stops of a pain slider, left to right, as shown (the morning after shows its first stop as "not yet").
STOPS = ["—", *(str(n) for n in range(11))]


def tap_score(page: Page, widget_key: str, score: int | None) -> None:
    """Tap the track of the pain slider ``key=widget_key`` at ``score`` (None: the leftmost stop, no score)."""
    stop = 0 if score is None else score + 1
    track = key(page, widget_key).locator("[role='group'] > div").first
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    assert box is not None, f"the slider {widget_key} is not shown"
    x = box["x"] + 1 + (box["width"] - 2) * stop / (len(STOPS) - 1)  # the ends of the track are its first and last stop
    page.mouse.click(x, box["y"] + box["height"] / 2)
    thumb = key(page, widget_key).get_by_role("slider")
    expect(thumb).to_have_value(str(stop))
    if score is not None:
        expect(thumb).to_have_attribute("aria-valuetext", str(score))
