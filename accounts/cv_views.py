"""CV pages: a participant's own upload, and the sponsors' and organisers' list and downloads.

CV files are never public: every download passes the permission check here, then streams the
file (local storage) or redirects to a signed URL that expires within a minute (S3).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.models import EventSettings

from . import cvs
from .forms import CVUploadForm
from .models import CV

CV_PERMISSION = "accounts.download_cv"


@login_required
def my_cv(request):
    event = EventSettings.load()
    form = CVUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        consent_text=event.cv_consent_text,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cvs.upload_cv(
                user=request.user,
                file=form.cleaned_data["file"],
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as exc:
            form.add_error("file" if exc.code != "consent" else "consent", exc)
        else:
            messages.success(request, "Your CV is saved and shared with sponsors.")
            return redirect("accounts:cv")
    context = {"form": form, "cv": CV.objects.filter(user=request.user).first()}
    return render(request, "accounts/cv.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def delete_my_cv(request):
    if cvs.delete_cv(user=request.user):
        messages.success(request, "Your CV is deleted and no longer shared.")
    return redirect("accounts:cv")


@login_required
@require_GET
def download(request, user_id):
    """The owner, or someone with the CV permission, gets the file; anyone else a 404."""
    if request.user.pk != user_id and not request.user.has_perm(CV_PERMISSION):
        raise Http404
    cv = CV.objects.shared().select_related("user").filter(user_id=user_id).first()
    if cv is None:
        raise Http404
    storage = cvs.cv_storage()
    if getattr(storage, "querystring_auth", False):
        url = storage.url(
            cv.file_name,
            parameters={
                "ResponseContentDisposition": f'attachment; filename="{cv.download_name}"',
                "ResponseContentType": cv.content_type,
            },
        )
        response = redirect(url)
    else:
        response = FileResponse(
            storage.open(cv.file_name, "rb"),
            as_attachment=True,
            filename=cv.download_name,
            content_type=cv.content_type,
        )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required(CV_PERMISSION, raise_exception=True)
@require_GET
def cv_list(request):
    # Queries: session, user, permissions (2), count, one page of CVs with their users.
    page = Paginator(
        CV.objects.shared().select_related("user__team").order_by("user__name", "user__email"), 100
    ).get_page(request.GET.get("page"))
    return render(request, "accounts/cv_list.html", {"page": page})


@login_required
@permission_required(CV_PERMISSION, raise_exception=True)
@require_GET
def cv_zip(request):
    shared = CV.objects.shared().select_related("user").order_by("user__name", "pk")
    response = StreamingHttpResponse(
        cvs.stream_zip(shared.iterator(chunk_size=200)), content_type="application/zip"
    )
    response["Content-Disposition"] = 'attachment; filename="cvs.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
