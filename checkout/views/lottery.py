"""A lottery draw's public page: everything a participant needs to check it themselves."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from inventory.models import Entry

from ..lottery import ALGORITHM, verify_draw
from ..lottery_results import draw_results
from ..models import LotteryDraw


@require_GET
def lottery_draw(request, pk):
    # Queries: the user (when signed in), the draw with its entry, the entrants' names.
    # Entrants show as initials: the page is public, like the lottery's own page.
    draws = LotteryDraw.objects.select_related("entry").filter(
        entry__in=Entry.objects.visible_to(request.user)
    )
    draw = get_object_or_404(draws, pk=pk)
    context = {
        "draw": draw,
        "rows": draw_results(draw),
        "checks_out": verify_draw(draw),
        "current_algorithm": draw.options.get("algorithm") == ALGORITHM,
    }
    return render(request, "checkout/lottery_draw.html", context)
