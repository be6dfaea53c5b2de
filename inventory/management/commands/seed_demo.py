"""Deterministic demo data: an inventory, a demo organiser and participant, more participants."""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import organisers_group
from inventory.models import Category, Condition, Entry, EventSettings, Kind, Unit

DEMO_ORGANISER = ("organiser@example.com", "cog-organiser", "Olive Organiser")
DEMO_PARTICIPANT = ("participant@example.com", "cog-participant", "Pat Participant")

CATEGORIES = {
    "Microcontrollers": [
        "Arduino Uno",
        "Arduino Nano",
        "ESP32 DevKit",
        "Raspberry Pi Pico",
        "Teensy 4.1",
        "micro:bit",
        "STM32 Nucleo",
        "Adafruit Feather",
    ],
    "Single-board computers": ["Raspberry Pi 4", "Raspberry Pi 5", "Jetson Nano", "BeagleBone"],
    "Sensors": [
        "Ultrasonic Sensor",
        "PIR Motion Sensor",
        "IMU 9-DOF",
        "Temperature Sensor",
        "Soil Moisture Sensor",
        "Light Sensor",
        "Gas Sensor",
        "Heart Rate Sensor",
    ],
    "Displays": ["OLED 128x64", "E-Ink Display", "LCD 16x2", "LED Matrix"],
    "Motors": ["Servo SG90", "Stepper Motor", "DC Motor Kit", "Motor Driver"],
    "Power": ["Battery Pack", "LiPo Charger", "USB Power Bank", "Bench Power Supply"],
    "Tools": ["Soldering Iron", "Multimeter", "Wire Stripper", "Hot Glue Gun"],
    "Cameras": ["Pi Camera", "USB Webcam", "Thermal Camera"],
    "Wireless": ["LoRa Module", "NFC Reader", "Bluetooth Module", "GPS Module"],
    "VR and AR": ["VR Headset", "Leap Motion", "Depth Camera"],
    "Robotics": ["Robot Arm Kit", "Line Follower Kit", "Drone Kit"],
    "Consumables": [
        "Jumper Wires",
        "Breadboard",
        "Resistor Kit",
        "LED Pack",
        "Zip Ties",
        "Electrical Tape",
    ],
}
TABLES = [f"Table {letter}{number}" for letter in "ABCDEFGH" for number in range(1, 13)]


class Command(BaseCommand):
    help = "Create deterministic demo data (same options, same data) and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=40)
        parser.add_argument("--units", type=int, default=5, help="Tagged units per entry.")
        parser.add_argument("--participants", type=int, default=30)
        parser.add_argument("--seed", type=int, default=20180426)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when entries already exist."
        )

    def handle(self, *args, **options):
        for name in ("entries", "units", "participants"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["if_empty"] and Entry.objects.exists():
            self.stdout.write("The inventory is not empty; leaving it as it is.")
        else:
            with transaction.atomic():
                rng = random.Random(options["seed"])
                entries = self.create_inventory(rng, options["entries"], options["units"])
                users = self.create_participants(rng, options["participants"])
                self.stdout.write(
                    f"Created {len(entries)} entries with units and {len(users)} participants."
                )
        self.create_demo_accounts()

    def create_inventory(self, rng, count, units_per_entry):
        EventSettings.load()
        categories = {name: Category.objects.get_or_create(name=name)[0] for name in CATEGORIES}
        catalogue = [(category, item) for category, items in CATEGORIES.items() for item in items]
        taken = set(Entry.objects.values_list("name", flat=True))
        entries = []
        for index in range(count):
            category, item = catalogue[index % len(catalogue)]
            batch = index // len(catalogue)
            name = item if batch == 0 else f"{item} Mk{batch + 1}"
            if name in taken:
                continue
            roll = rng.random()
            kind = Kind.LOTTERY if roll < 0.2 else Kind.CHECKOUT if roll < 0.6 else Kind.FREE
            if category == "Consumables":
                kind = Kind.FREE
            counted = kind == Kind.FREE and rng.random() < 0.5
            entries.append(
                Entry(
                    name=name,
                    category=categories[category],
                    kind=kind,
                    description=f"{item} for your hack. Ask the desk for cables and adapters.",
                    link=f"https://example.com/datasheets/{index}",
                    is_visible=rng.random() > 0.09,
                    max_request_quantity=1 if kind == Kind.LOTTERY else rng.choice([1, 2, 4]),
                    counted_stock=rng.randint(20, 200) if counted else None,
                )
            )
        entries = Entry.objects.bulk_create(entries, batch_size=500)
        units = []
        for entry in entries:
            if entry.counted_stock is not None:
                continue
            for number in range(1, units_per_entry + 1):
                roll = rng.random()
                condition = (
                    Condition.DAMAGED
                    if roll < 0.03
                    else Condition.RETIRED
                    if roll < 0.05
                    else Condition.OK
                )
                units.append(
                    Unit(
                        entry=entry,
                        asset_tag=f"{entry.tag_prefix}-{number:03d}",
                        condition=condition,
                    )
                )
        Unit.objects.bulk_create(units, batch_size=2000)
        return entries

    def create_participants(self, rng, count):
        User = get_user_model()
        password = make_password(None)  # unusable: they exist to hold requests, not to sign in
        existing = set(User.objects.values_list("email", flat=True))
        users = [
            User(
                email=f"hacker{number}@example.com",
                name=f"Hacker {number}",
                phone=f"+1 555 {rng.randint(1000000, 9999999)}",
                location=rng.choice(TABLES),
                team_name=f"Team {rng.randint(1, max(1, count // 4))}",
                password=password,
            )
            for number in range(1, count + 1)
            if f"hacker{number}@example.com" not in existing
        ]
        return get_user_model().objects.bulk_create(users, batch_size=1000)

    def create_demo_accounts(self):
        User = get_user_model()
        group = organisers_group()
        for (email, password, name), staff in ((DEMO_ORGANISER, True), (DEMO_PARTICIPANT, False)):
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    password,
                    name=name,
                    phone="+1 555 0100000",
                    location="Table A1",
                    is_staff=staff,
                )
            if staff:
                user.groups.add(group)
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts (sign in at /accounts/login/):\n"
                f"  organiser: {DEMO_ORGANISER[0]} / {DEMO_ORGANISER[1]}  (back office: /admin/)\n"
                f"  participant: {DEMO_PARTICIPANT[0]} / {DEMO_PARTICIPANT[1]}"
            )
        )
