from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.redirects import safe_next

from .forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect(next_url or "checkout:my_hardware")
    status = 400 if form.errors else 200
    return render(request, "accounts/profile.html", {"form": form, "next": next_url}, status=status)


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
