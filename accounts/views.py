from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.redirects import safe_next

from . import teams
from .forms import CreateTeamForm, JoinTeamForm, ProfileForm, ProfileStepForm
from .models import Team


@login_required
def profile(request):
    return _edit_profile(
        request, ProfileForm, "accounts/profile.html", "Profile saved.", "checkout:my_hardware"
    )


@login_required
def profile_step(request):
    """Where sign-in sends a participant whose profile is incomplete (accounts/onboarding.py),
    then on to the `next` they came with, or where sign-in would have gone."""
    return _edit_profile(
        request,
        ProfileStepForm,
        "accounts/profile_step.html",
        "Thanks: the desk can find you now.",
        settings.LOGIN_REDIRECT_URL,
    )


def _edit_profile(request, form_class, template, saved, default_next):
    form = form_class(request.POST if request.method == "POST" else None, instance=request.user)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, saved)
        return redirect(next_url or default_next)
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, "next": next_url}, status=status)


def email_is_identity(request):
    """Stands in for allauth's email management page (/accounts/email/).

    The email address is who someone is here: it comes from MyMLH or the sign-up, and the
    organiser and sponsor allow-lists match on it. Adding an address and making it primary
    would let a participant take an allow-listed organiser's email, and allauth's page also
    writes on GET. So nobody manages addresses here; the profile page says which one is used.
    """
    messages.info(
        request,
        "Your email address comes from how you signed in and cannot be changed here. "
        "Ask an organiser if it is wrong.",
    )
    return redirect("accounts:profile")


def _team_page(request, *, create_form=None, join_form=None, status=200):
    """The team page. Queries: the user's team (with the session's user), its members."""
    team = Team.objects.filter(members=request.user).select_related("created_by").first()
    members = list(team.members.order_by("name", "email")) if team else []
    context = {
        "team": team,
        "members": members,
        "create_form": create_form or CreateTeamForm(),
        "join_form": join_form or JoinTeamForm(),
    }
    return render(request, "accounts/team.html", context, status=status)


@login_required
@require_GET
def team(request):
    return _team_page(request)


@login_required
@require_POST
def team_create(request):
    form = CreateTeamForm(request.POST)
    if form.is_valid():
        try:
            made = teams.create_team(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, f"You made {made}. Share the join code with your team.")
            return redirect("accounts:team")
    return _team_page(request, create_form=form, status=400)


@login_required
@require_POST
def team_join(request):
    form = JoinTeamForm(request.POST)
    if form.is_valid():
        try:
            joined = teams.join_team(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            messages.success(request, f"You joined {joined}.")
            return redirect("accounts:team")
    return _team_page(request, join_form=form, status=400)


@login_required
@require_POST
def team_leave(request):
    try:
        left = teams.leave_team(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"You left {left}.")
    return redirect("accounts:team")
