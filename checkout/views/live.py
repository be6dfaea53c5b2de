"""The poll target of every live fragment (htmx, every 2 s, If-None-Match)."""

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import live, live_snapshot

from ..desk.access import can_use_desk
from ..desk.queue import desk_stats, live_queue_context, shown
from .participant import my_hardware_context


@require_GET
def live_fragment(request, token):
    """Poll target for live fragments. Unchanged: a 304 from the process's snapshot of the
    versions, before any session or user lookup, with no query (one, when the snapshot is due
    for its refresh). Changed: the fragment, rendered for the signed-in user it belongs to."""
    scope = live.scope_from_token(token)
    if scope is None:
        raise Http404
    current = live_snapshot.version(scope)
    etag = f'"{current}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = _render_live(request, scope)
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response


def _render_live(request, scope):
    user = request.user
    if not user.is_authenticated:
        return HttpResponse(status=403)
    if scope == live.SHARED:
        if not can_use_desk(user):
            return HttpResponse(status=403)
        context = live_queue_context(desk_stats(), shown(request.GET.get("show")))
        return render(request, "admin/desk/includes/_queue.html", context)
    if scope != live.user_scope(user.pk):
        return HttpResponse(status=403)
    return render(request, "checkout/includes/_my_hardware.html", my_hardware_context(user))
