"""The demo inventory: hardware a well-stocked hackathon desk lends, with what each item is,
its key specs, what it is good for and what to ask the desk for, and the maker's documentation.

Tools and anything that must come back are checkout entries; scarce, expensive items (headsets,
drones, a Jetson) go by lottery, with proposals that read like real ones; consumables are free
and counted. Links are the manufacturers' own pages (left empty where there is none to trust).
"""

from dataclasses import dataclass

from inventory.icons import Icon
from inventory.models import Kind


@dataclass(frozen=True)
class Item:
    name: str
    kind: str
    description: str
    link: str = ""
    max_per_request: int = 1
    counted: int | None = None  # a free consumable's count on the shelf; None: tagged units
    proposals: tuple = ()  # what entrants write, for lottery items


def checkout(name, description, link="", *, max_per_request=1):
    return Item(name, Kind.CHECKOUT, description, link, max_per_request)


def lottery(name, description, link, proposals):
    return Item(name, Kind.LOTTERY, description, link, 1, proposals=tuple(proposals))


def free(name, description, *, counted, max_per_request=1, link=""):
    return Item(name, Kind.FREE, description, link, max_per_request, counted)


ADAFRUIT = "https://learn.adafruit.com/"
ARDUINO = "https://docs.arduino.cc/hardware/"
ESPRESSIF = "https://docs.espressif.com/projects/esp-dev-kits/en/latest/"
RASPBERRY_PI = "https://www.raspberrypi.com/"

# (category, icon, items); each category's first items are its most asked-for.
CATEGORIES = [
    (
        "Microcontrollers",
        Icon.MICROCONTROLLER,
        [
            checkout(
                "Arduino Uno R4 WiFi",
                "The classic Uno shape with a 48 MHz Renesas RA4M1 (Arm Cortex-M4), an ESP32-S3 "
                "for Wi-Fi and Bluetooth LE, and a 12x8 LED matrix on the board. 5 V pins, so Uno "
                "shields and most beginner tutorials work unchanged. Comes with a USB-C cable.",
                ARDUINO + "uno-r4-wifi/",
                max_per_request=2,
            ),
            checkout(
                "Arduino Uno Rev3",
                "The ATmega328P board most Arduino tutorials are written for: 16 MHz, 14 digital "
                "pins (6 with PWM), 6 analog inputs, 5 V logic. Comes with a USB-A to USB-B "
                "cable; ask the desk for a USB-C adapter if your laptop has only USB-C.",
                ARDUINO + "uno-rev3/",
                max_per_request=2,
            ),
            checkout(
                "ESP32-DevKitC V4",
                "Espressif's own ESP32 board: dual-core 240 MHz, Wi-Fi and Bluetooth, 3.3 V "
                "logic, nearly every pin broken out. The cheap way to put a project on the "
                "internet, from Arduino, ESP-IDF or MicroPython. Ask for a micro-USB cable.",
                ESPRESSIF + "esp32/esp32-devkitc/user_guide.html",
                max_per_request=2,
            ),
            checkout(
                "Raspberry Pi Pico 2 W",
                "RP2350 microcontroller (two Arm Cortex-M33 or two RISC-V cores at 150 MHz, "
                "520 KB RAM) with 2.4 GHz Wi-Fi and Bluetooth. Program it in MicroPython, "
                "CircuitPython or C/C++; ask for a micro-USB cable.",
                RASPBERRY_PI + "documentation/microcontrollers/pico-series.html",
                max_per_request=2,
            ),
            checkout(
                "BBC micro:bit V2",
                "A 5x5 LED display, two buttons, a touch logo, accelerometer, compass, "
                "microphone, speaker and Bluetooth on one nRF52833 board, programmed in the "
                "browser with MakeCode blocks or Python: the quickest start if you have never "
                "done hardware. Comes with a 2xAAA battery pack.",
                "https://tech.microbit.org/hardware/",
                max_per_request=2,
            ),
            checkout(
                "Arduino Nano ESP32",
                "A Nano-sized ESP32-S3 board (u-blox NORA-W106) with Wi-Fi and Bluetooth LE, "
                "programmed from the Arduino IDE or in MicroPython. 3.3 V logic and USB-C; fits "
                "a breadboard.",
                ARDUINO + "nano-esp32/",
                max_per_request=2,
            ),
            checkout(
                "Arduino Nano 33 BLE Sense Rev2",
                "An nRF52840 Bluetooth LE board full of sensors (9-axis IMU, microphone, gesture, "
                "proximity, colour, temperature, humidity and pressure), made for TinyML and "
                "wearables. Its pins take 3.3 V only, not 5 V. Ask for a micro-USB cable.",
                ARDUINO + "nano-33-ble-sense-rev2/",
            ),
            checkout(
                "ESP32-S3-DevKitC-1",
                "ESP32-S3 with Wi-Fi, Bluetooth LE, native USB and vector instructions that "
                "speed up small neural networks, plus an addressable RGB LED. Flash it through "
                "its USB-to-UART port.",
                ESPRESSIF + "esp32s3/esp32-s3-devkitc-1/index.html",
                max_per_request=2,
            ),
            checkout(
                "Raspberry Pi Pico",
                "RP2040 (two Cortex-M0+ cores at 133 MHz, 264 KB RAM, 2 MB flash) with "
                "programmable I/O (PIO) for exact-timing protocols such as NeoPixels. The same "
                "MicroPython and C/C++ tools as the Pico 2; no radio.",
                RASPBERRY_PI + "documentation/microcontrollers/pico-series.html",
                max_per_request=2,
            ),
            checkout(
                "Adafruit Feather RP2040",
                "RP2040 Feather with 8 MB flash, a LiPo charger and battery socket, and a "
                "STEMMA QT port for plug-in I2C sensors. Made for CircuitPython; ask for a LiPo "
                "battery to go wireless.",
                ADAFRUIT + "adafruit-feather-rp2040-pico",
                max_per_request=2,
            ),
            checkout(
                "Seeed XIAO ESP32C3",
                "A thumb-sized (21 x 17.5 mm) RISC-V ESP32-C3 board with Wi-Fi, Bluetooth LE, "
                "USB-C and a battery charger, for wearables and small connected sensors. Keep "
                "its external antenna attached or Wi-Fi will barely work.",
                "https://wiki.seeedstudio.com/XIAO_ESP32C3_Getting_Started/",
                max_per_request=2,
            ),
            checkout(
                "Circuit Playground Express",
                "Adafruit's round SAMD21 board with 10 NeoPixels, motion, temperature, light and "
                "sound sensors, a speaker, infrared, touch pads and two buttons, programmed with "
                "MakeCode or CircuitPython. Lights and sensors with no wiring: good for "
                "wearables.",
                ADAFRUIT + "adafruit-circuit-playground-express",
            ),
            checkout(
                "Teensy 4.1",
                "A 600 MHz Cortex-M7 (NXP i.MX RT1062) with 1 MB RAM, 8 MB flash, a microSD slot "
                "and an Ethernet PHY, programmed from the Arduino IDE with Teensyduino. For audio, "
                "synths and fast control loops; 3.3 V pins, not 5 V tolerant.",
                "https://www.pjrc.com/store/teensy41.html",
            ),
            checkout(
                "STM32 Nucleo-F401RE",
                "An 84 MHz Cortex-M4 with 512 KB flash and 96 KB RAM, an ST-LINK debugger on the "
                "board, and Arduino Uno and ST morpho headers. For STM32CubeIDE, Arduino or "
                "Zephyr, when you want breakpoints rather than print statements.",
                "https://www.st.com/en/evaluation-tools/nucleo-f401re.html",
            ),
        ],
    ),
    (
        "Single-board computers",
        Icon.SINGLE_BOARD_COMPUTER,
        [
            checkout(
                "Raspberry Pi 5 (8 GB)",
                "Quad-core 2.4 GHz Arm Cortex-A76, 8 GB RAM, two 4K micro-HDMI outputs, USB 3, "
                "gigabit Ethernet, Wi-Fi, Bluetooth and PCIe. Comes with the 27 W USB-C supply, "
                "the active cooler and a microSD card with Raspberry Pi OS; ask for a "
                "micro-HDMI cable if you need a screen.",
                RASPBERRY_PI + "products/raspberry-pi-5/",
            ),
            checkout(
                "Raspberry Pi 4 (4 GB)",
                "Quad-core Cortex-A72 (BCM2711), 4 GB RAM, two micro-HDMI ports, USB 3, gigabit "
                "Ethernet, Wi-Fi and Bluetooth. Comes with a USB-C supply and a microSD card "
                "with Raspberry Pi OS: plenty for a web server, a camera project or a kiosk.",
                RASPBERRY_PI + "documentation/computers/raspberry-pi.html",
            ),
            checkout(
                "Raspberry Pi Zero 2 W",
                "Quad-core 1 GHz Cortex-A53, 512 MB RAM, Wi-Fi and Bluetooth on a 65 x 30 mm "
                "board: Linux where a full Pi will not fit. It has mini-HDMI and micro-USB "
                "ports; ask for the adapters and a microSD card with Raspberry Pi OS.",
                RASPBERRY_PI + "products/raspberry-pi-zero-2-w/",
            ),
            lottery(
                "Jetson Orin Nano Dev Kit",
                "NVIDIA's small computer for AI at the edge: a 6-core Arm Cortex-A78AE CPU, an "
                "Ampere GPU with 1024 CUDA cores and 8 GB of memory, running JetPack (Ubuntu with "
                "CUDA and TensorRT). It runs object detection, pose estimation or a small "
                "language model on the device. Comes with its power supply and a prepared "
                "microSD card.",
                "https://developer.nvidia.com/embedded/learn/get-started-jetson-orin-nano-devkit",
                [
                    "A camera over the venue's bike racks that counts free spaces with YOLOv8 and "
                    "posts them to a web map. It has to run on-device: we can't stream video "
                    "off the venue Wi-Fi.",
                    "Offline voice assistant for a grandparent who doesn't trust the cloud: "
                    "Whisper for speech, a 3B model for answers, all local. We've tested the "
                    "pipeline on a laptop GPU; the Jetson is what would make it a box on a shelf.",
                    "Sign-language fingerprinting: MediaPipe hand landmarks into a small "
                    "classifier, 20 signs to start. The Orin gets us from 6 fps on a Pi to "
                    "something you can actually hold a conversation with.",
                    "We want to put a depth model on a wheelchair to warn about kerbs and steps. "
                    "Two of us did CUDA work at uni; we'd pair it with a webcam from the desk.",
                    "Plant disease spotter for the community garden: a fine-tuned MobileNet on "
                    "leaf photos, running on the Jetson with a camera, shown on a small screen.",
                ],
            ),
            checkout(
                "BeagleBone Black",
                "1 GHz TI AM335x (Cortex-A8), 512 MB RAM, 4 GB eMMC and two 200 MHz PRU cores for "
                "hard real-time I/O on 92 header pins: for Linux projects that must toggle pins "
                "with exact timing.",
                "https://www.beagleboard.org/boards/beaglebone-black",
            ),
        ],
    ),
    (
        "Sensors",
        Icon.SENSOR,
        [
            checkout(
                "HC-SR04 ultrasonic sensor",
                "Measures distance from about 2 cm to 4 m by timing a 40 kHz ping. A 5 V part: "
                "with a 3.3 V board, put a voltage divider on the Echo pin (resistors are free "
                "at the desk).",
                "https://www.sparkfun.com/products/15569",
                max_per_request=4,
            ),
            checkout(
                "PIR motion sensor",
                "HC-SR501 passive infrared sensor: its output goes high when a person moves "
                "within about 7 m, and two knobs set the sensitivity and how long it stays on. "
                "Takes 5 V, outputs 3.3 V logic.",
                ADAFRUIT + "pir-passive-infrared-proximity-motion-sensor",
                max_per_request=4,
            ),
            checkout(
                "BNO055 orientation sensor",
                "Adafruit's 9-DOF board: accelerometer, gyroscope and magnetometer with on-chip "
                "sensor fusion, so it reports absolute orientation (Euler angles or quaternions) "
                "over I2C with no maths on your side. For gesture controllers, head tracking and "
                "balancing robots.",
                ADAFRUIT + "adafruit-bno055-absolute-orientation-sensor",
                max_per_request=2,
            ),
            checkout(
                "BME280 weather sensor",
                "Temperature (±1 °C), humidity (±3 %) and barometric pressure (±1 hPa) over I2C "
                "or SPI; the pressure also gives altitude to about a metre. The usual choice for "
                "weather stations and room monitors.",
                ADAFRUIT
                + "adafruit-bme280-humidity-barometric-pressure-temperature-sensor-breakout",
                max_per_request=2,
            ),
            checkout(
                "VL53L0X laser distance sensor",
                "A tiny time-of-flight rangefinder: 5 cm to about 1.2 m with millimetre "
                "resolution over I2C, in a far narrower beam than ultrasound. For robots, "
                "touch-free buttons and counting people through a door.",
                ADAFRUIT + "adafruit-vl53l0x-micro-lidar-distance-sensor-breakout",
                max_per_request=2,
            ),
            checkout(
                "Capacitive soil moisture sensor",
                "Adafruit's STEMMA soil sensor: an I2C moisture probe with no exposed "
                "electrodes to corrode, which also reads temperature. Push it into a pot for "
                "plant-watering projects; ask for a 4-pin JST PH cable.",
                ADAFRUIT + "adafruit-stemma-soil-sensor-i2c-capacitive-moisture-sensor",
                max_per_request=2,
            ),
            checkout(
                "SCD-40 CO2 sensor",
                "Sensirion's photoacoustic sensor measures real CO2 (most accurate from 400 to "
                "2000 ppm, the range of indoor air), with temperature and humidity, over I2C: "
                "monitors that say when to open a window. Give it a few minutes after power-up.",
                ADAFRUIT + "adafruit-scd-40-and-scd-41",
            ),
            checkout(
                "APDS9960 gesture sensor",
                "Sees swipes up, down, left and right a few centimetres away, plus proximity, "
                "ambient light and colour, over I2C: touch-free controls for a lamp or a kiosk.",
                ADAFRUIT + "adafruit-apds9960-breakout",
                max_per_request=2,
            ),
            checkout(
                "TSL2591 light sensor",
                "High-dynamic-range light sensor (188 µlux to 88,000 lux) with separate infrared "
                "and full-spectrum readings over I2C, for daylight logging and auto-dimming.",
                ADAFRUIT + "adafruit-tsl2591",
                max_per_request=2,
            ),
            checkout(
                "PulseSensor heart-rate sensor",
                "An optical sensor that clips to a fingertip or earlobe and gives an analog "
                "heartbeat waveform; the PulseSensor Playground library finds the beats and the "
                "BPM. For biofeedback hacks; it is not a medical device.",
                "https://pulsesensor.com/",
                max_per_request=2,
            ),
            checkout(
                "Load cell 5 kg with HX711",
                "A 5 kg bar load cell with an HX711 24-bit amplifier: build a scale, a smart "
                "shelf or a pressure pad. Calibrate it with something whose weight you know.",
                "https://learn.sparkfun.com/tutorials/load-cell-amplifier-hx711-breakout-hookup-guide",
            ),
        ],
    ),
    (
        "Displays",
        Icon.DISPLAY,
        [
            checkout(
                "OLED display 128x64",
                "A small, sharp monochrome SSD1306 OLED on I2C with four wires; the Adafruit "
                "SSD1306 and U8g2 libraries draw text and graphics. Shows readings without a "
                "laptop attached.",
                ADAFRUIT + "monochrome-oled-breakouts",
                max_per_request=2,
            ),
            checkout(
                "NeoPixel strip (1 m, 60 LEDs)",
                "Individually addressable RGB LEDs (WS2812B) on one data pin. At full white each "
                "LED draws up to 60 mA, so for more than a few dozen ask the desk for a 5 V "
                "supply instead of powering them from your board.",
                ADAFRUIT + "adafruit-neopixel-uberguide",
                max_per_request=2,
            ),
            checkout(
                "E-paper display 2.13 inch",
                "Waveshare's 250x122 black-and-white e-ink HAT, which keeps its image with the "
                "power off. A full refresh takes about two seconds, so it suits dashboards, name "
                "badges and door signs rather than animation. Sits on a Raspberry Pi or wires to "
                "any board's SPI.",
                "https://www.waveshare.com/wiki/2.13inch_e-Paper_HAT",
            ),
            checkout(
                "16x2 LCD with I2C backpack",
                "Two lines of 16 characters with a backlight (HD44780), driven over I2C with "
                "four wires. 5 V; turn the contrast screw on the back if you see only blocks or "
                "nothing.",
                ADAFRUIT + "character-lcds",
                max_per_request=2,
            ),
            checkout(
                "RGB LED matrix 64x32",
                "2048 RGB LEDs at 4 mm pitch on a HUB75 panel: scrolling signs, scoreboards, "
                "pixel art. Comes with an Adafruit Matrix Portal to drive it and a 5 V 4 A "
                "supply.",
                ADAFRUIT + "32x16-32x32-rgb-led-matrix",
            ),
            checkout(
                "Raspberry Pi Touch Display 2",
                "A 7-inch 720x1280 multitouch screen on a Raspberry Pi's DSI connector, powered "
                "from the Pi's GPIO header: kiosks, dashboards and control panels.",
                RASPBERRY_PI + "documentation/accessories/touch-display-2.html",
            ),
        ],
    ),
    (
        "Motors",
        Icon.MOTOR,
        [
            checkout(
                "SG90 micro servo",
                "A 9 g hobby servo that turns to an angle from 0 to 180° on a 50 Hz PWM signal, "
                "with about 1.8 kg·cm of torque. Power it from 5 V, not a 3.3 V pin; to drive "
                "several, ask for the 16-channel servo driver.",
                ADAFRUIT + "adafruit-motor-selection-guide",
                max_per_request=4,
            ),
            checkout(
                "TT gear motors with wheels",
                "A pair of yellow 3-6 V plastic gear motors with 65 mm wheels, the base of most "
                "small robot cars. Drive them through a motor driver such as the TB6612FNG, "
                "never straight from a board's pin.",
                max_per_request=2,
            ),
            checkout(
                "TB6612FNG motor driver",
                "Pololu's carrier drives two DC motors (or one bipolar stepper) at about 1 A each "
                "from 4.5-13.5 V, with PWM speed control from 3.3 V or 5 V logic: smaller and "
                "far more efficient than an L298N.",
                "https://www.pololu.com/product/713",
                max_per_request=2,
            ),
            checkout(
                "NEMA 17 stepper + A4988",
                "A 200-step-per-turn bipolar stepper with a Pololu A4988 driver that needs only "
                "STEP and DIR pins. The motor side needs 8-35 V (a 12 V supply comes with it); "
                "set the driver's current limit before the first run.",
                "https://www.pololu.com/product/1182",
                max_per_request=2,
            ),
            checkout(
                "PCA9685 servo driver",
                "Drives up to 16 servos (or LEDs) from two I2C pins with 12-bit PWM, leaving "
                "your board's timers free. Give the servos their own 5 V supply through the "
                "screw terminal.",
                ADAFRUIT + "16-channel-pwm-servo-driver",
            ),
        ],
    ),
    (
        "Power",
        Icon.POWER,
        [
            checkout(
                "LiPo battery 2000 mAh",
                "A 3.7 V rechargeable lithium-polymer cell with the JST PH plug that Feather "
                "boards charge from. Never puncture, bend or short it, and bring it back at once "
                "if it swells.",
                ADAFRUIT + "li-ion-and-lipoly-batteries",
                max_per_request=2,
            ),
            checkout(
                "USB power bank 10,000 mAh",
                "Two 5 V USB outputs to run a Raspberry Pi 4, a robot or a wearable for a few "
                "hours away from a socket. A Raspberry Pi 5 wants the 27 W supply for full USB "
                "power.",
            ),
            checkout(
                "Raspberry Pi 27 W power supply",
                "Raspberry Pi's own 5.1 V 5 A USB-C supply: what a Pi 5 needs to power USB "
                "devices at full current. Fine for a Pi 4 too.",
                RASPBERRY_PI + "products/27w-power-supply/",
            ),
            checkout(
                "Bench power supply 30 V 5 A",
                "An adjustable lab supply with a current limit, to try motors, LED strips and "
                "new circuits without frying them. It stays at the hardware table; a volunteer "
                "will set the limit with you.",
            ),
            free(
                "AA batteries (pack of 4)",
                "Alkaline AA cells for micro:bit packs, servos and remotes. Please put dead ones "
                "in the recycling box at the desk.",
                counted=150,
                max_per_request=2,
            ),
            free(
                "CR2032 coin cells",
                "3 V lithium coin cells for real-time-clock modules, LED badges and key-fob "
                "sized projects.",
                counted=80,
                max_per_request=2,
            ),
        ],
    ),
    (
        "Tools",
        Icon.TOOL,
        [
            checkout(
                "Pinecil soldering iron",
                "Pine64's portable smart iron, powered over USB-C, hot in seconds and steady at "
                "the temperature you set. Comes with a stand, a brass tip cleaner and a USB-C "
                "charger; use it at the soldering tables and bring it back cold.",
                "https://wiki.pine64.org/wiki/Pinecil",
            ),
            checkout(
                "Digital multimeter",
                "Measures voltage, current, resistance and continuity (it beeps). Check your "
                "power rails and wiring before you blame the code.",
                ADAFRUIT + "multimeters",
            ),
            checkout(
                "Wire strippers and flush cutters",
                "Strippers for 20-30 AWG hook-up and jumper wire, and flush cutters for "
                "trimming leads and zip ties.",
            ),
            checkout(
                "USB logic analyser (8 channels)",
                "A 24 MHz, 8-channel analyser that works with the free PulseView software: see "
                "and decode what your I2C, SPI or UART lines actually carry. Ask a volunteer for "
                "a two-minute demo.",
                "https://sigrok.org/wiki/PulseView",
            ),
            checkout(
                "Hot glue gun",
                "A low-temperature mini glue gun with a few sticks: the fastest way to hold a "
                "prototype together. Mind the tip.",
            ),
            checkout(
                "Rigol DS1054Z oscilloscope",
                "A 4-channel, 50 MHz digital oscilloscope (1 GSa/s) with probes, for PWM, audio "
                "and noisy power rails. It stays at the hardware table.",
            ),
            checkout(
                "Precision screwdriver set",
                "A driver with 64 precision bits (Phillips, Torx, hex, pentalobe and more) for "
                "opening cases and tiny screws.",
            ),
            checkout(
                "Helping hands with magnifier",
                "Two crocodile clips and a magnifying glass on a heavy base, to hold boards and "
                "wires while you solder.",
            ),
        ],
    ),
    (
        "Cameras",
        Icon.CAMERA,
        [
            checkout(
                "Raspberry Pi Camera Module 3",
                "A 12-megapixel Sony IMX708 camera with autofocus and HDR for a Pi's camera "
                "connector, driven by Picamera2 or rpicam-apps. A Raspberry Pi 5 needs the "
                "narrower 22-pin cable: ask the desk for it.",
                RASPBERRY_PI + "documentation/accessories/camera.html",
            ),
            checkout(
                "Logitech C920 webcam",
                "A 1080p, 30 fps USB webcam with two microphones that works without drivers on "
                "any laptop or Pi, with OpenCV or in the browser.",
            ),
            checkout(
                "ESP32-CAM",
                "An ESP32 with a 2-megapixel OV2640 camera and a microSD slot: stream video over "
                "Wi-Fi or snap photos from a tiny board. It has no USB port, so it comes with a "
                "USB-serial programmer board.",
                max_per_request=2,
            ),
            checkout(
                "MLX90640 thermal camera",
                "A 32x24-pixel infrared camera that reads temperatures from -40 to 300 °C over "
                "I2C: spot people, hot spots and overheating motors. Few pixels, but real "
                "temperatures.",
                ADAFRUIT + "adafruit-mlx90640-ir-thermal-camera",
            ),
            checkout(
                "OpenMV Cam H7 Plus",
                "A camera with its own STM32H7 running MicroPython: colour tracking, AprilTags, "
                "QR codes, face detection and small TensorFlow Lite models, no computer needed. "
                "Write and preview the code in OpenMV IDE.",
                "https://docs.openmv.io/",
            ),
            lottery(
                "RealSense D435i depth camera",
                "Intel's stereo depth camera with an RGB sensor and an IMU, over USB 3: depth at "
                "up to 1280x720, and point clouds in Python or ROS 2 through librealsense. For "
                "robots that must see obstacles, and for 3D scanning.",
                "https://www.intelrealsense.com/depth-camera-d435i/",
                [
                    "3D-scan the donated clothes at the charity shop next door so they can be "
                    "listed online with real measurements. We need depth, not just photos.",
                    "Our rover already drives; it keeps hitting chair legs the ultrasonic "
                    "sensor can't see. We'd feed the D435i's point cloud into Nav2 on a Pi 5.",
                    "A physio exercise coach that checks knee angles in 3D while you do squats. "
                    "The IMU lets us correct for the camera sitting on a wobbly shelf.",
                    "Measure how full the venue's recycling bins are from above, so the "
                    "volunteers only empty the full ones.",
                ],
            ),
        ],
    ),
    (
        "Wireless",
        Icon.WIRELESS,
        [
            checkout(
                "Feather M0 LoRa radio",
                "Adafruit's SAMD21 Feather with an RFM95 LoRa radio: small packets over several "
                "kilometres line of sight, on a battery. Take two to talk point to point; each "
                "comes with an antenna for this country's band.",
                ADAFRUIT + "adafruit-feather-m0-radio-with-lora-radio-module",
                max_per_request=2,
            ),
            checkout(
                "PN532 NFC reader",
                "Reads and writes 13.56 MHz NFC tags and cards (MIFARE Classic, NTAG) over I2C, "
                "SPI or UART. Blank NFC stickers are free at the desk.",
                ADAFRUIT + "adafruit-pn532-rfid-nfc",
            ),
            checkout(
                "nRF52840 Dongle",
                "Nordic's USB stick with a Bluetooth 5, Thread and Zigbee radio: prototype a "
                "Bluetooth LE device, or test and sniff one with nRF Connect for Desktop.",
                "https://www.nordicsemi.com/Products/Development-hardware/nRF52840-Dongle",
            ),
            checkout(
                "Ultimate GPS breakout",
                "Adafruit's MTK3339 GPS receiver with up to 10 position fixes a second over UART "
                "and a built-in antenna. Indoors it may never get a fix: try it by a window.",
                ADAFRUIT + "adafruit-ultimate-gps",
            ),
        ],
    ),
    (
        "VR and AR",
        Icon.VR,
        [
            lottery(
                "Meta Quest 3",
                "A standalone mixed-reality headset (Snapdragon XR2 Gen 2) with colour "
                "passthrough, hand tracking and two Touch Plus controllers; build for it in "
                "Unity or WebXR. The desk turns on developer mode with you.",
                "https://www.meta.com/quest/quest-3/",
                [
                    "A mixed-reality piano teacher: falling notes land on the real keyboard in "
                    "passthrough. Two of us play; we've built the MIDI side in Unity already.",
                    "Walk-through of the flat our non-profit is converting for wheelchair users, "
                    "so donors can see the layout at real scale before it's built.",
                    "Fire-drill trainer for the student halls: find the exits in smoke, in a "
                    "scan of our actual corridor. We have the Gaussian splat, we need a headset.",
                    "WebXR chemistry set: pick up atoms with hand tracking and snap molecules "
                    "together. First VR project for three of us, one has shipped a Quest app.",
                    "Anxiety exposure therapy for spiders, in passthrough, at a distance the "
                    "user controls. Our psychology teammate is writing the protocol.",
                ],
            ),
            lottery(
                "Meta Quest 2",
                "A standalone VR headset (Snapdragon XR2) with inside-out and hand tracking and "
                "two Touch controllers; runs the same Unity and WebXR builds as the Quest 3, with "
                "black-and-white passthrough.",
                "",
                [
                    "Rhythm game where you conduct an orchestra with the controllers; tempo and "
                    "dynamics follow your hands. Built in Unity, 4 people, 2 with VR experience.",
                    "A calm room for the hospital children's ward: a slow underwater scene with "
                    "breathing guidance. We'd test comfort on ourselves all weekend.",
                    "Multiplayer escape room over WebXR so remote teammates can join from a "
                    "browser while one of us wears the headset.",
                    "Practise job interviews in front of a virtual panel that reacts to how long "
                    "you pause. We'd use the Quest's mic for the speech analysis.",
                ],
            ),
            lottery(
                "Leap Motion Controller 2",
                "Ultraleap's USB hand-tracking camera: both hands and all ten fingers in 3D, on "
                "a desk or mounted on a headset, through the Unity, Unreal and C APIs.",
                "https://docs.ultraleap.com/",
                [
                    "Touch-free museum kiosk: swipe through exhibits in the air so nobody has to "
                    "touch a shared screen.",
                    "A theremin you play with finger positions, sound from a Pico synth. We "
                    "prototyped it with a webcam and MediaPipe; the lag kills it.",
                    "Teach the first 50 words of sign language with instant feedback on your "
                    "hand shape.",
                ],
            ),
        ],
    ),
    (
        "Robotics",
        Icon.ROBOT,
        [
            lottery(
                "DJI Tello drone",
                "An 80 g indoor drone with a 720p camera that you program over Wi-Fi with the "
                "Tello SDK (Python, Scratch). Comes with three batteries; fly it only inside the "
                "netted drone area.",
                "https://www.ryzerobotics.com/tello",
                [
                    "Indoor inventory drone: fly the aisles of a small warehouse and read shelf "
                    "QR codes from the video feed. We'll demo it on the desk's own shelves.",
                    "Follow-me camera for solo climbers at the bouldering gym, tracking a bright "
                    "chalk bag with OpenCV.",
                    "Gesture-controlled drone for kids' coding workshops: palm up to take off, "
                    "point to move. We run a Saturday coding club and would reuse it there.",
                    "Search pattern for finding a lost phone by its Bluetooth signal in a "
                    "building. Mostly software; we need a real drone for the last 20 %.",
                ],
            ),
            lottery(
                "Crazyflie 2.1 nano drone",
                "Bitcraze's 27 g open-source quadcopter, programmed in C or Python (cflib) "
                "through a Crazyradio USB dongle. For swarm and autonomy experiments; ask for "
                "the Flow deck to hold position.",
                "https://www.bitcraze.io/products/crazyflie-2-1/",
                [
                    "Swarm light show: three Crazyflies drawing shapes in the air to music, "
                    "choreographed in Blender and exported as setpoints.",
                    "We're testing a collision-avoidance algorithm from our robotics course on "
                    "real hardware for the first time; we have the simulation running.",
                    "Pollination demo for our agritech pitch: a nano drone visiting paper "
                    "flowers marked with AprilTags.",
                ],
            ),
            lottery(
                "SO-101 robot arm (LeRobot)",
                "An open-source arm of five joints and a gripper on Feetech STS3215 servos, as a "
                "leader and follower pair for Hugging Face LeRobot: teleoperate it, record "
                "demonstrations, train a policy. It stays on the robotics table.",
                "https://huggingface.co/docs/lerobot/so101",
                [
                    "Teach the arm to sort recycling by showing it 50 times, then train an ACT "
                    "policy overnight. We've done the LeRobot tutorial in simulation.",
                    "Assistive feeding arm for people with limited hand mobility: pick up a "
                    "spoon, scoop, bring it to a fixed point. Our teammate's dad is our tester.",
                    "Chess robot that plays physical moves against you, with a camera reading "
                    "the board. Engine and vision are done; the arm is the missing piece.",
                    "Board-game helper that hands you the card you ask for, for a player who "
                    "can't hold many cards. We'd record demonstrations with the leader arm.",
                ],
            ),
            checkout(
                "Pololu 3pi+ robot",
                "A fast 9.7 cm round robot with an Arduino-compatible ATmega32U4, wheel "
                "encoders, five line sensors, bump sensors, an IMU and a display: line following "
                "and maze solving in an afternoon. Runs on four AAA batteries, which the desk has.",
                "https://www.pololu.com/docs/0J83",
            ),
            checkout(
                "Elegoo Smart Robot Car V4",
                "An Arduino Uno based robot car with ultrasonic obstacle sensing, line tracking, "
                "an IR remote and a camera module on a servo: a quick base for a robot you drive "
                "from your phone.",
            ),
        ],
    ),
    (
        "Consumables",
        Icon.CONSUMABLE,
        [
            free(
                "Jumper wires (strip of 10)",
                "Dupont jumper wires, 20 cm: male-male, male-female or female-female. Tear off a "
                "strip of ten of the kind you need.",
                counted=300,
                max_per_request=4,
            ),
            free(
                "Half-size breadboard",
                "A 400-point solderless breadboard with power rails and a sticky back. Yours to "
                "keep.",
                counted=120,
                max_per_request=2,
            ),
            free(
                "Resistor assortment",
                "Quarter-watt resistors from 10 Ω to 1 MΩ in labelled drawers at the desk: take "
                "the values you need (220 or 330 Ω for an LED on 5 V, 10 kΩ for pull-ups).",
                counted=1000,
                max_per_request=20,
            ),
            free(
                "5 mm LEDs",
                "Red, green, yellow, blue and white through-hole LEDs. Always put a resistor in "
                "series; the long leg goes to plus.",
                counted=500,
                max_per_request=10,
            ),
            free(
                "Zip ties",
                "Black nylon cable ties, 150 mm: tidy cables, mount boards, hold the robot "
                "together.",
                counted=1000,
                max_per_request=20,
            ),
            free(
                "Header pins (40-pin strip)",
                "Break-away 2.54 mm male headers to solder onto breakout boards so they fit a "
                "breadboard.",
                counted=200,
                max_per_request=4,
            ),
            free(
                "Electrical tape",
                "A roll of 19 mm PVC insulating tape: cover joints, label wires, colour-code "
                "cables.",
                counted=40,
            ),
            free(
                "Heat-shrink tubing",
                "Pieces of heat-shrink in several diameters to insulate soldered joints; shrink "
                "them with the heat gun at the soldering tables.",
                counted=300,
                max_per_request=5,
            ),
            free(
                "NTAG215 NFC stickers",
                "Blank NFC stickers (504 bytes) that any phone reads and writes: tap-to-open "
                "links, check-ins, game tokens.",
                counted=200,
                max_per_request=5,
            ),
            free(
                "Perfboard 5x7 cm",
                "Solderable prototyping board for making a breadboard circuit permanent.",
                counted=60,
                max_per_request=2,
            ),
            free(
                "Googly eyes",
                "Self-adhesive googly eyes in three sizes. Every robot deserves a face.",
                counted=400,
                max_per_request=10,
            ),
        ],
    ),
    (
        "Audio",
        Icon.AUDIO,
        [
            checkout(
                "I2S amplifier and speaker",
                "Adafruit's MAX98357A digital class-D amplifier (3.2 W into 4 Ω) with a small "
                "speaker: sound from an ESP32, Pico or Raspberry Pi with no DAC or analog amp.",
                ADAFRUIT + "adafruit-max98357-i2s-class-d-mono-amp",
            ),
            checkout(
                "I2S MEMS microphone",
                "A digital microphone (SPH0645) that sends audio straight over I2S: voice "
                "commands, clap detection and sound meters on an ESP32 or a Pi.",
                ADAFRUIT + "adafruit-i2s-mems-microphone-breakout",
                max_per_request=2,
            ),
            checkout(
                "DFPlayer Mini MP3 player",
                "Plays MP3 and WAV files from a microSD card on commands over a serial port, and "
                "drives a small speaker directly. Comes with a microSD card and a speaker.",
                "https://wiki.dfrobot.com/DFPlayer_Mini_SKU_DFR0299",
            ),
            checkout(
                "ReSpeaker USB mic array",
                "Four microphones with on-board beamforming, noise suppression and direction of "
                "arrival, seen as a USB sound card by a laptop or a Pi: voice assistants that "
                "hear you across a room.",
                "https://wiki.seeedstudio.com/ReSpeaker_Mic_Array_v2.0/",
            ),
        ],
    ),
    (
        "Cables and adapters",
        Icon.CABLE,
        [
            checkout(
                "USB-A to micro-USB cable",
                "A data cable for the Pico, ESP32-DevKitC, micro:bit and other micro-USB boards. "
                "If your board does not show up on your laptop, the cable from home was probably "
                "charge-only.",
                max_per_request=2,
            ),
            checkout(
                "USB-C to USB-C cable",
                "A 1 m USB 2.0 data cable (not a charge-only one), rated for 60 W.",
                max_per_request=2,
            ),
            free(
                "STEMMA QT / Qwiic cables",
                "4-pin JST SH cables that chain I2C sensors (Adafruit STEMMA QT, SparkFun Qwiic) "
                "with no soldering.",
                counted=150,
                max_per_request=4,
            ),
            checkout(
                "Micro-HDMI to HDMI cable",
                "For the micro-HDMI ports of a Raspberry Pi 4 or 5; monitors are at the hardware "
                "table.",
            ),
            checkout(
                "USB-C to USB-A adapter",
                "Plug USB-A cables and devices into a laptop that has only USB-C.",
                max_per_request=2,
            ),
            checkout(
                "USB to serial adapter (CP2102)",
                "A 3.3 V / 5 V USB-UART bridge for boards without USB (ESP32-CAM, bare modules) "
                "and for a Raspberry Pi's serial console.",
            ),
            checkout(
                "Ethernet cable (2 m)",
                "A Cat 6 patch cable, for a Pi or a Jetson when the venue Wi-Fi struggles.",
            ),
        ],
    ),
    (
        "Kits",
        Icon.KIT,
        [
            checkout(
                "Arduino Starter Kit",
                "An Arduino Uno with a breadboard, wires, sensors, a motor, a servo and a printed "
                "book of 15 projects: the gentlest start if nobody on your team has built a "
                "circuit.",
                "https://store.arduino.cc/products/arduino-starter-kit-multi-language",
            ),
            checkout(
                "Grove Beginner Kit",
                "An Arduino-compatible board with ten Grove modules (OLED, buzzer, light, sound, "
                "temperature and humidity, pressure, accelerometer and more) wired on one PCB: "
                "no breadboard, no soldering. Snap a module off to use it elsewhere.",
                "https://wiki.seeedstudio.com/Grove-Beginner-Kit-For-Arduino/",
            ),
            checkout(
                "Makey Makey",
                "Turns bananas, play-dough and pencil drawings into keyboard keys over USB: "
                "anything slightly conductive becomes a button, no code needed.",
                "https://makeymakey.com/",
            ),
            checkout(
                "37-in-1 sensor kit",
                "A box of 37 small modules (joystick, relay, buttons, temperature, sound, IR, "
                "Hall effect and more) with jumper wires, to try an idea before asking for the "
                "good sensor.",
            ),
        ],
    ),
]


def catalogue():
    """Every (category name, icon, item), taking each category's first item, then each one's
    second, and so on: the first N entries of the demo cover as many categories as they can."""
    columns = [[(name, icon, item) for item in items] for name, icon, items in CATEGORIES]
    depth = max(len(column) for column in columns)
    return [column[row] for row in range(depth) for column in columns if row < len(column)]
