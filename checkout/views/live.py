"""The poll target of every live fragment (htmx, every 2 s, If-None-Match)."""

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import live, live_snapshot

from ..desk.access import can_use_desk
from ..desk.queue import desk_stats, live_queue_context, queue_changes, shown
from .participant import my_hardware_context


@require_GET
def live_fragment(request, token):
    """Poll target for live fragments. Unchanged: a 304 from the process's snapshot of the
    versions, before any session or user lookup, with no query (one, when the snapshot is due
    for its refresh). Changed: the fragment, rendered for the signed-in user it belongs to."""
    held = request.headers.get("If-None-Match", "").strip('"')
    scope, current, unchanged = live_snapshot.unchanged(token, held)
    if scope is None:
        raise Http404
    response = HttpResponseNotModified() if unchanged else _render_live(request, scope, held)
    response.setdefault("ETag", f'"{current}"')
    response["Cache-Control"] = "no-store"
    return response


def _render_live(request, scope, held):
    user = request.user
    if not user.is_authenticated:
        return HttpResponse(status=403)
    if scope == live.SHARED:
        if not can_use_desk(user):
            return HttpResponse(status=403)
        return _desk_update(request, held)
    if scope != live.user_scope(user.pk):
        return HttpResponse(status=403)
    return render(request, "checkout/includes/_my_hardware.html", my_hardware_context(user))


def _desk_update(request, held):
    """The desk's answer: only the rows changed since the version it holds when that can be
    said (checkout/desk/queue_delta.py), else the whole queue. Queries: the stats with the
    version (1), and on a rendering cache miss the queues and lottery entries (2)."""
    stats = desk_stats()
    show = shown(request.GET.get("show"))
    if held == stats["version"]:  # this process's snapshot was behind the desk's page
        response = HttpResponseNotModified()
    elif (changes := queue_changes(stats, show, held)) is not None:
        # Out-of-band swaps only: the queue's element stays, its rows are patched in place.
        response = HttpResponse(changes, headers={"HX-Reswap": "none"})
    else:
        response = render(
            request, "admin/desk/includes/_queue.html", live_queue_context(stats, show)
        )
    response["ETag"] = f'"{stats["version"]}"'
    return response
