"""What changed in the desk queue between two versions, as htmx out-of-band swaps.

Every write anywhere changes the SHARED version, and an open desk used to download the whole
queue (~50 KB on a busy event) after each one. Now a desk poll that holds an older version gets
only the parts that differ: changed rows and headings replaced by id, new rows inserted after
their neighbour, gone rows deleted, and the version the desk now holds.

How rows are compared: by their rendered HTML. The queue is already rendered once per version
and cached (checkout/desk/queue.py); each rendering is cut here into its parts (every element
with an `id="dq-..."`: rows, headings, the overdue count) and a *skeleton* (everything else).
The parts of the version the desk holds, still in the cache, are compared with the current
ones: no query at all, one rendering per version whatever the number of desks. An `updated_at`
on the requests, or a change log keyed by the counter's stamp, would be cheaper to compare, but
would miss what a row shows without being written: a waitlist place moving up, an ID taken at
the desk (a request's "ID" column), a lottery's stock after a hand-out, a participant's edited
phone number. Comparing what is shown catches every one of those by construction.

The full queue is sent instead when the held version's rendering is not in the cache (unknown,
older than FRAGMENT_CACHE_SECONDS, or rendered by another process with a per-process cache),
when the skeleton differs (a table appeared or emptied, a filter differs: renderings are cached
per filter), when the rows that stayed changed order, or when more than MAX_CHANGED parts
changed (the full queue is then about as small and certainly right).
"""

import re

from django.utils.html import escape

MAX_CHANGED = 20
# Our own template's elements with an id: rows (<tr>) or single-line parts; none nests its tag.
_PART = re.compile(r'<(tr|h2|a|p) id="(dq-[\w-]+)"[^>]*>.*?</\1>', re.DOTALL)
VERSION_HOLDER = "desk-queue-version"


def cut(html):
    """A rendering cut into parts: {"html", "skeleton", "parts": {id: html}, "rows":
    {tbody id: [row ids in order]}}. Cached with the HTML (checkout/desk/queue.py)."""
    parts, rows = {}, {}

    def take(match):
        tag, part_id = match.group(1), match.group(2)
        parts[part_id] = match.group(0)
        if tag == "tr":
            rows.setdefault(part_id.rsplit("-", 1)[0], []).append(part_id)
            return ""
        return f"<!--{part_id}-->"

    skeleton = _PART.sub(take, html)
    return {"html": html, "skeleton": skeleton, "parts": parts, "rows": rows}


def oob_swaps(held, current, version):
    """The out-of-band swaps that turn the `held` rendering into `current`, or None when the
    full queue should be sent (see the module docstring).

    Rows travel in <template>s: htmx parses a response inside one, where a bare <tr> would set
    the parser's mode for the rest of the response and the next <tbody> be dropped; each
    template is parsed afresh, and htmx swaps the out-of-band elements inside it.
    """
    if held["skeleton"] != current["skeleton"]:
        return None
    old_parts, new_parts = held["parts"], current["parts"]
    swaps = []
    for part_id in old_parts.keys() - new_parts.keys():
        swaps.append(f'<template><tr id="{part_id}" hx-swap-oob="delete"></tr></template>')
    for container, row_ids in current["rows"].items():
        old_ids = held["rows"].get(container, [])
        if [i for i in old_ids if i in new_parts] != [i for i in row_ids if i in old_parts]:
            return None  # the rows that stayed moved: the full queue, rather than a reshuffle
        for position, row_id in enumerate(row_ids):
            if row_id in old_parts:
                continue
            where = f"afterend:#{row_ids[position - 1]}" if position else f"afterbegin:#{container}"
            swaps.append(
                f'<template><tbody hx-swap-oob="{where}">{new_parts[row_id]}</tbody></template>'
            )
    for part_id, html in new_parts.items():
        if part_id in old_parts and old_parts[part_id] != html:
            tag_end = html.index(" ")
            swap = f'{html[:tag_end]} hx-swap-oob="true"{html[tag_end:]}'
            swaps.append(f"<template>{swap}</template>" if swap.startswith("<tr") else swap)
    if len(swaps) > MAX_CHANGED:
        return None
    swaps.append(version_holder(version, oob=True))
    return "".join(swaps)


def version_holder(version, *, oob=False):
    """The element the desk's poll reads its If-None-Match from (static/js/cog.js): replaced
    with each answer, so the desk's version moves on without the rest of the queue."""
    swap = ' hx-swap-oob="true"' if oob else ""
    return f'<span id="{VERSION_HOLDER}" hidden data-live-version="{escape(version)}"{swap}></span>'
