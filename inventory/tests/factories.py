import factory

from inventory.models import Category, Condition, Entry, Kind, Unit


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    name = factory.Sequence(lambda n: f"Board {n}")
    description = "A board for testing."
    category = factory.SubFactory(CategoryFactory)
    kind = Kind.CHECKOUT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    entry = factory.SubFactory(EntryFactory)
    asset_tag = factory.Sequence(lambda n: f"TAG-{n:05d}")
    condition = Condition.OK


def make_inventory(*, entries, units, kinds=(Kind.LOTTERY, Kind.CHECKOUT, Kind.FREE)):
    """`entries` entries in 4 categories, each with `units` OK units, in a few bulk queries."""
    categories = [CategoryFactory(name=f"Cat {n}") for n in range(4)]
    made = Entry.objects.bulk_create(
        Entry(
            name=f"Item {n:04d}",
            category=categories[n % len(categories)],
            kind=kinds[n % len(kinds)],
            description="Something useful",
            link="https://example.com/doc",
            image_url="https://example.com/img.png",
        )
        for n in range(entries)
    )
    Unit.objects.bulk_create(
        Unit(entry=entry, asset_tag=f"{entry.tag_prefix}-{n:03d}")
        for entry in made
        for n in range(units)
    )
    return made
