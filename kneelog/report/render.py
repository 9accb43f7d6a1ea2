"""Charts of the report drawn offline by Vega itself (vl-convert-python): PNG for the PDF, SVG for the web page.

vl-convert bundles the Vega and Vega-Lite JavaScript and a Deno runtime in its wheel, so a chart renders without a
browser or a network. fpdf2's SVG reader does not follow the SVG vl-convert writes (lines without their default
coordinates, paths it does not parse), so the PDF embeds each chart as a PNG at :data:`PNG_SCALE` times its size.
"""

from __future__ import annotations

from typing import Any

import vl_convert as vlc

#: PNG pixels per chart pixel: 2 gives about 210 dots per inch at the width a chart is printed.
PNG_SCALE = 2


def png(spec: dict[str, Any]) -> bytes:
    """The chart as a PNG image, :data:`PNG_SCALE` times its laid-out size."""
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE)


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document (text as text, for a web page)."""
    return vlc.vegalite_to_svg(spec)
