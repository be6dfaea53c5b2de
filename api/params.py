"""Query parameters the API does not know are refused, not ignored: a client that misspells a
filter (`?overdu=true`) learns it from a 400 instead of trusting an unfiltered answer."""

from ninja.errors import ValidationError


def refuse_unknown(request, filters=None):
    """Raise a 400 (ValidationError) naming every query parameter `filters` (a Schema class)
    does not declare; with no filters, any query parameter at all."""
    known = set(filters.model_fields) if filters else set()
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError(
            [{"loc": ("query", name), "msg": "Unknown parameter."} for name in unknown]
        )
