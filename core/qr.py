"""QR codes as inline SVG (segno: pure Python, no image libraries)."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(text, *, title):
    """An inline <svg> of `text` as a QR code, with `title` for screen readers. It has a
    viewBox and no fixed size: the page's CSS sizes it (class "qr").

    Error correction M holds up to a smudged or partly torn label; a quiet zone of 4 modules
    (the standard) lets phone cameras and USB scanners find the code.
    """
    code = segno.make_qr(text, error="m")
    svg = code.svg_inline(border=4, title=title, svgclass="qr", lineclass=None, omitsize=True)
    # segno escapes the title; the rest is its own markup. role=img names it for assistive tech.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
