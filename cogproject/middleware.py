from django.http import HttpResponseBadRequest, JsonResponse

NUL_REFUSED = "A field holds a NUL character, which no form here accepts."


class RejectNulBytes:
    """Answer 400 to a query string or form field holding a NUL character.

    PostgreSQL refuses NUL in a text value, so any search box or admin list filter that passed
    one through would answer 500 (after running whatever came before the query). No form here
    has a use for it; uploaded files are not affected (they are not form fields).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for params in (request.GET, request.POST):
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    if request.path.startswith("/api/"):  # the API's errors are JSON
                        return JsonResponse({"detail": NUL_REFUSED}, status=400)
                    return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain")
        return self.get_response(request)
