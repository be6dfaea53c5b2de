from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.redirects import safe_next

from .forms import ProfileForm, ProfileStepForm


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
