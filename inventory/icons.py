"""Category icons: what an entry without a picture shows.

Each icon is a vendored SVG, static/icons/categories/<value>.svg, drawn on a 24x24 grid with
`stroke="currentColor"`, so it takes the colour of the text around it (and so dark mode) when
it is inlined or referenced with <svg><use href="...#icon"></use></svg>.
"""

import re

from django.db import models


class Icon(models.TextChoices):
    MICROCONTROLLER = "microcontroller", "Microcontroller"
    SINGLE_BOARD_COMPUTER = "single-board-computer", "Single-board computer"
    SENSOR = "sensor", "Sensor"
    DISPLAY = "display", "Display"
    MOTOR = "motor", "Motor"
    POWER = "power", "Power"
    TOOL = "tool", "Tool"
    CAMERA = "camera", "Camera"
    WIRELESS = "wireless", "Wireless"
    VR = "vr", "VR and AR"
    ROBOT = "robot", "Robot"
    CONSUMABLE = "consumable", "Consumable"
    AUDIO = "audio", "Audio"
    CABLE = "cable", "Cable"
    KIT = "kit", "Kit"
    GENERIC = "generic", "Generic"


def icon_static_path(icon):
    """The icon's path for {% static %}, e.g. "icons/categories/sensor.svg"."""
    return f"icons/categories/{icon}.svg"


# The first pattern that a category's name matches picks its icon. Order matters: "Power
# tools" is power, "VR headsets and cameras" is VR, "Robot kits" is a robot.
_GUESSES = [
    (r"\b(vr|ar|xr)\b|virtual|augmented|reality|headset", Icon.VR),
    (r"robot|drone|rover", Icon.ROBOT),
    (r"single[- ]?board|\bsbcs?\b|computer|raspberry|jetson", Icon.SINGLE_BOARD_COMPUTER),
    (r"micro-?controller|\bmcus?\b|arduino|esp32|dev(elopment)? ?boards?", Icon.MICROCONTROLLER),
    (r"sensor|imu|accelerometer|detector", Icon.SENSOR),
    (r"display|screen|lcd|oled|matri(x|ces)|monitor|e-?ink|e-?paper", Icon.DISPLAY),
    (r"camera|webcam|vision", Icon.CAMERA),
    (r"motor|servo|actuator|stepper", Icon.MOTOR),
    (r"power|batter(y|ies)|charger|solar", Icon.POWER),
    (r"audio|sound|speaker|microphone|\bmics?\b|music", Icon.AUDIO),
    (r"wireless|radio|\brf\b|rfid|nfc|bluetooth|wi-?fi|lora|gps|network", Icon.WIRELESS),
    (r"cable|wire|adapter|connector|usb|hdmi", Icon.CABLE),
    (r"tool|solder|multimeter|meter|scope|instrument", Icon.TOOL),
    (r"\bkits?\b", Icon.KIT),
    (r"consumable|component|supplies|parts|prototyp|breadboard|\bleds?\b", Icon.CONSUMABLE),
]


def guess_icon(name):
    """The icon a category called `name` most likely wants ("Sensors" -> sensor), else
    generic. Used when a category is made without one (migration, import)."""
    lowered = (name or "").lower()
    for pattern, icon in _GUESSES:
        if re.search(pattern, lowered):
            return icon
    return Icon.GENERIC
