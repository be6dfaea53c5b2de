"""Cells that are safe to open in a spreadsheet.

Participants type their own names, teams, tables and phones, and organisers open exports of
them in Excel or Google Sheets. Opened from CSV, a cell starting with "=", "+", "-" or "@" is
read as a formula (`=HYPERLINK(...)` runs when clicked), so such text gets a leading
apostrophe, which spreadsheets take as "this is text". In XLSX only text starting with "="
becomes a formula (openpyxl writes it as one); the control characters XLSX cannot hold
(openpyxl refuses the whole file) become U+FFFD.
"""

import re

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_START = ("=",)
# What openpyxl's ILLEGAL_CHARACTERS_RE matches: C0 controls other than tab, LF and CR.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value, *, xlsx=False):
    """`value` as a CSV (or, with `xlsx`, an XLSX) file should hold it; numbers, dates and
    empty values as they are."""
    if not isinstance(value, str) or not value:
        return value
    if xlsx:
        value = ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value)
    if value.startswith(XLSX_FORMULA_START if xlsx else CSV_FORMULA_START):
        return "'" + value
    return value
