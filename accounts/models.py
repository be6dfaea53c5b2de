import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from core.aggregates import count_of
from core.live import LiveModel, LiveQuerySet


class UserManager(BaseUserManager.from_queryset(LiveQuerySet)):
    use_in_migrations = True

    @staticmethod
    def normalize_address(email):
        """Emails are stored lower-case: the database also enforces case-insensitive uniqueness."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_address(email)
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(LiveModel, AbstractBaseUser, PermissionsMixin):
    """A participant, organiser or sponsor. Signs in by email (password or MyMLH).

    Live: the desk shows names, phones and tables, and "My hardware" the user's own."""

    live_owner = "pk"

    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    location = models.CharField(
        "table or location", max_length=100, blank=True, help_text="Where the desk can find you."
    )
    # At most one team per participant: the foreign key says so by itself (see Team).
    team = models.ForeignKey(
        "Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    school = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        "organiser access",
        default=False,
        help_text="Can sign in to the admin back office and the desk.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    badge_version = models.PositiveSmallIntegerField(
        default=0,
        help_text="Part of the badge code: issuing a new code bumps it, so the old one stops "
        "working (accounts/badges.py).",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="A user with this email address already exists.",
            ),
        ]

    # What a participant fills in before the desk can serve them: the profile form requires
    # these, and a participant missing one is asked for it right after signing in.
    REQUIRED_PROFILE_FIELDS = ("name", "phone", "location")

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = UserManager.normalize_address(self.email)

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name.split() or [self.email])[0]

    @property
    def has_contact_details(self):
        """Cog's rule: the desk needs a phone and a table before handing anything out."""
        return bool(self.phone.strip() and self.location.strip())

    @property
    def has_complete_profile(self):
        """Every field of REQUIRED_PROFILE_FIELDS filled in (not only blanks)."""
        return all(getattr(self, name).strip() for name in self.REQUIRED_PROFILE_FIELDS)


# Join codes are read aloud and typed on phones: no 0/O, 1/I/L, no lower case.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code():
    """A random join code: 31^6, about 887 million, so guessing one is hopeless."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_team_name(name):
    """ " The  Hardware   Heroes " -> "The Hardware Heroes": what two spellings compare by."""
    return " ".join((name or "").split())


def normalise_join_code(code):
    """What people type ("abc 234", "ABC-234") as the stored code ("ABC234")."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


class TeamQuerySet(LiveQuerySet):
    def with_member_count(self):
        """Annotate `member_count` (one correlated COUNT, so it never multiplies with others)."""
        return self.annotate(member_count=count_of(User.objects.filter(team=OuterRef("pk"))))


class Team(LiveModel):
    """Participants who build together and share the hardware limits an entry sets per team.

    Membership is `User.team` (a participant is in at most one team); changes go through
    accounts/teams.py, which locks the user row, then the team row.
    Live: the desk and My hardware show team names (SHARED)."""

    name = models.CharField(max_length=100)
    join_code = models.CharField(
        max_length=JOIN_CODE_LENGTH,
        unique=True,
        default=new_join_code,
        help_text="Members share it; anyone who types it joins.",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="team_name_ci_unique",
                violation_error_message="A team with this name already exists.",
            ),
            models.CheckConstraint(
                condition=Q(join_code__regex=rf"^[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}$"),
                name="team_join_code_format",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="team_name_not_blank"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ORGANISER = "organiser", "Organiser"
    # An organiser who also manages this allow-list (accounts/roles.py).
    LEAD_ORGANISER = "lead", "Lead organiser"
    SPONSOR = "sponsor", "Sponsor"


class AllowListedEmail(models.Model):
    """An email address that gets a role when its owner signs in (besides ORGANISER_EMAILS).

    Roles follow the list at sign-in (accounts/roles.py `sync_roles`): an edit here changes
    nobody's access until that person next signs in; `add_organiser` applies it at once."""

    email = models.EmailField(unique=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ORGANISER)
    note = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name = "allow-listed email"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="allowlisted_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"


class CVQuerySet(models.QuerySet):
    def shared(self):
        """CVs that sponsors may see: every stored CV has consent (withdrawing deletes it)."""
        return self.filter(consent_at__isnull=False)


class CV(models.Model):
    """A participant's CV, shared with sponsors by explicit consent.

    The file lives on the private `cvs` storage under a random name; it is only ever served
    through a view that checks permission (a short-lived signed URL on S3).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="cv")
    file_name = models.CharField(max_length=255, help_text="Name in the private `cvs` storage.")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    consent_at = models.DateTimeField()
    consent_text = models.TextField(help_text="The consent text the participant agreed to.")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = CVQuerySet.as_manager()

    class Meta:
        verbose_name = "CV"
        ordering = ["-uploaded_at"]
        permissions = [("download_cv", "Can list and download participants' CVs")]

    def __str__(self):
        return f"CV of {self.user}"

    @property
    def download_name(self):
        extension = self.file_name.rsplit(".", 1)[-1]
        stem = slugify(self.user.name or self.user.email.split("@")[0]) or "participant"
        return f"{stem}-cv.{extension}"
