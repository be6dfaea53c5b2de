"""Reading and writing the local `.env` file (cogproject/envfile.py)."""

import pytest

from cogproject import envfile


def test_it_reads_keys_and_values_skipping_comments_and_blank_lines():
    text = "# local settings\n\nDEBUG=1\n  EVENT_NAME = Hack Night  \nexport TIME_ZONE=UTC\n"
    assert envfile.parse(text) == {"DEBUG": "1", "EVENT_NAME": "Hack Night", "TIME_ZONE": "UTC"}


def test_it_strips_quotes_and_keeps_what_is_inside_them():
    text = (
        "A='single # not a comment'\n"
        'B="double = and # kept"\n'
        "C=plain # a comment\n"
        "D=x#y\n"
        "E=\n"
        "F=''\n"
        'G="quoted"  # a comment after quotes\n'
    )
    assert envfile.parse(text) == {
        "A": "single # not a comment",
        "B": "double = and # kept",
        "C": "plain",
        "D": "x#y",
        "E": "",
        "F": "",
        "G": "quoted",
    }


@pytest.mark.parametrize(
    "line", ["just words", "=value", "BAD KEY=1", "A='unclosed", "A='x' trailing"]
)
def test_it_rejects_a_line_it_cannot_read_and_says_which(line):
    with pytest.raises(ValueError, match="line 2"):
        envfile.parse(f"# ok\n{line}\n")


def test_real_environment_variables_win_over_the_file(tmp_path):
    path = tmp_path / "cog.env"
    path.write_text("DEBUG=1\nEVENT_NAME=From the file\n")
    environ = {"EVENT_NAME": "From the environment"}
    envfile.load(path, environ=environ)
    assert environ == {"DEBUG": "1", "EVENT_NAME": "From the environment"}


def test_a_missing_default_file_is_fine_but_a_missing_named_one_is_an_error(tmp_path):
    envfile.load(tmp_path / ".env", environ={})
    with pytest.raises(ValueError, match="does not exist"):
        envfile.load(tmp_path / ".env", environ={}, required=True)


def test_create_writes_a_private_file_once_and_never_overwrites_it(tmp_path):
    path = tmp_path / ".env"
    assert envfile.create(path) is True
    first = path.read_text()
    values = envfile.parse(first)
    assert values["DEBUG"] == "1"
    assert len(values["SECRET_KEY"]) >= 50
    assert path.stat().st_mode & 0o777 == 0o600  # it holds a secret
    assert envfile.create(path) is False
    assert path.read_text() == first
