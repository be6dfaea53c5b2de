"""The local `.env` file: KEY=VALUE lines that fill in environment variables left unset.

`make run` creates one (`python -m cogproject.envfile .env`) with DEBUG=1 and a random
SECRET_KEY, so `.venv/bin/python manage.py ...` works afterwards without typing variables.
The settings read it unless tests are running; variables set in the real environment always
win. Production sets real variables and has no such file.

Standard library only: `make` runs this before the virtualenv has Django.

The format is the common subset: `KEY=VALUE`, an optional `export ` in front, blank lines and
`# comments`; a value in single or double quotes is taken as written (no escapes, `#` kept);
an unquoted value ends at ` #`.
"""

import os
import re
import secrets
import sys
from pathlib import Path

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _value(raw):
    """The value of one line, given what follows its `=`; ValueError if it cannot be read."""
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        end = raw.find(raw[0], 1)
        if end == -1:
            raise ValueError("the closing quote is missing")
        rest = raw[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            raise ValueError("only a comment may follow a quoted value")
        return raw[1:end]
    if raw.startswith("#"):
        return ""
    return re.split(r"\s#", raw, maxsplit=1)[0].strip()


def parse(text, *, source=".env"):
    """The variables `text` sets, in order. ValueError naming the line for one it cannot read."""
    values = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, equals, raw = line.partition("=")
        key = key.strip()
        try:
            if not equals or not _KEY.match(key):
                raise ValueError("expected KEY=VALUE")
            values[key] = _value(raw)
        except ValueError as exc:
            raise ValueError(f"{source}, line {number}: {exc}") from None
    return values


def load(path, *, environ=None, required=False):
    """Set each variable the file names that `environ` (os.environ) does not have yet.

    A missing file is skipped, unless `required` (ENV_FILE named it): then ValueError.
    """
    environ = os.environ if environ is None else environ
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ValueError(f"ENV_FILE names {path}, which does not exist.") from None
        return
    for key, value in parse(text, source=str(path)).items():
        environ.setdefault(key, value)


def create(path):
    """Write a development `.env` (DEBUG=1, a new random SECRET_KEY), readable by its owner
    only. Never replaces an existing file: returns False and leaves it as it is."""
    content = (
        "# Local development settings, made by `make run` (cogproject/envfile.py).\n"
        "# Real environment variables win over these. Never commit this file; production sets\n"
        "# real environment variables instead (see README, Settings).\n"
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)
    return True


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else ".env"
    if create(target):
        print(f"Created {target} with DEBUG=1 and a new SECRET_KEY.")
    else:
        print(f"{target} exists: left as it is.")
