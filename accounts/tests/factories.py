import factory
from django.utils import timezone

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")
    phone = "+1 555 0100000"
    location = "Table B4"
    password = factory.django.Password("s3cret-pass")


class CVFactory(factory.django.DjangoModelFactory):
    """A CV row only (no stored file): for pages and lists that never open the file."""

    class Meta:
        model = "accounts.CV"

    user = factory.SubFactory(UserFactory)
    file_name = factory.LazyAttribute(lambda cv: f"{cv.user.pk}/cv.pdf")
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = 100
    consent_at = factory.LazyFunction(timezone.now)
    consent_text = "I agree."


class TeamFactory(factory.django.DjangoModelFactory):
    """A team (a fresh join code each). Members: UserFactory(team=team)."""

    class Meta:
        model = "accounts.Team"

    name = factory.Sequence(lambda n: f"Team {n}")
