import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_user_stores_the_email_lower_case():
    user = User.objects.create_user("Ada@Example.COM", "pw-123456")
    assert user.email == "ada@example.com"
    assert User.objects.get_by_natural_key("ADA@example.com") == user


def test_a_differently_cased_email_fails_validation():
    User.objects.create_user("ada@example.com", "pw")
    clash = User(email="ADA@EXAMPLE.COM")
    with pytest.raises(ValidationError):
        clash.full_clean(exclude=["password"])


@pytest.mark.postgres
def test_the_database_enforces_case_insensitive_uniqueness():
    User.objects.create_user("ada@example.com", "pw")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Ada@Example.com")
    assert User.objects.count() == 1
