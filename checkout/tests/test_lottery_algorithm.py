"""The draw algorithm, sha256-fisher-yates-v1, pinned: a change to it cannot pass unnoticed."""

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from checkout.lottery import (
    ALGORITHM,
    commitment_of,
    draw_winners,
    new_seed,
    shuffled,
    verify_draw,
)

# The test vector docs/lottery.md gives. Stock 4: 13 and 89 take three units, 5 wants two and
# is skipped, 3 takes the last one.
SEED = "cog-lottery-test-vector-1"
COMMITMENT = "29ac3faf03d395b31c81349294d162c595e96954e41ac9e83ed96babe42ce734"
ENTRANTS = [[3, 1], [5, 2], [8, 1], [13, 1], [21, 3], [34, 1], [55, 1], [89, 2], [144, 1], [233, 1]]
DRAW_ORDER = [13, 89, 5, 3, 55, 34, 144, 21, 8, 233]
WINNERS = [13, 89, 3]


def from_the_docs(seed, entrants, stock):
    """docs/lottery.md's steps in words, written again without checkout/lottery.py."""
    ids = [pk for pk, _ in sorted(entrants)]
    wants = dict(entrants)
    for i in reversed(range(1, len(ids))):
        digest = hashlib.sha256(seed.encode("utf-8") + i.to_bytes(8, "big")).hexdigest()
        j = int(digest[:16], 16) % (i + 1)
        ids[i], ids[j] = ids[j], ids[i]
    winners = []
    for pk in ids:
        if stock == 0:
            break
        if wants[pk] <= stock:
            winners.append(pk)
            stock -= wants[pk]
    return winners


def test_it_gives_the_pinned_winners_for_the_test_vector():
    assert commitment_of(SEED) == COMMITMENT
    assert [pk for pk, _ in shuffled(ENTRANTS, seed=SEED)] == DRAW_ORDER
    assert draw_winners(ENTRANTS, stock=4, seed=SEED) == WINNERS


def test_it_agrees_with_the_documented_steps():
    assert from_the_docs(SEED, ENTRANTS, 4) == WINNERS
    many = [[pk, 1 + pk % 3] for pk in range(1, 301)]
    for n in range(20):
        seed = f"another-seed-number-{n}"
        for stock in (0, 1, 7, 40, 1000):
            assert draw_winners(many, stock=stock, seed=seed) == from_the_docs(seed, many, stock)


def test_it_ignores_the_order_entrants_are_given_in():
    assert draw_winners(list(reversed(ENTRANTS)), stock=4, seed=SEED) == WINNERS


def test_the_draw_fits_quantities_into_stock():
    entrants = [[1, 2], [2, 2], [3, 1], [4, 1]]
    for n in range(50):
        winners = draw_winners(entrants, stock=3, seed=f"fits-into-stock-{n}")
        assert sum(dict(entrants)[pk] for pk in winners) <= 3


def test_another_seed_gives_another_draw():
    entrants = [[pk, 1] for pk in range(1, 51)]
    assert draw_winners(entrants, stock=7, seed=SEED) != draw_winners(
        entrants, stock=7, seed=SEED + "x"
    )


def test_a_new_seed_is_32_random_bytes_in_hex():
    first, second = new_seed(), new_seed()
    assert len(first) == 64 and int(first, 16) >= 0
    assert first != second


def stored(**changes):
    fields = {
        "seed": SEED,
        "commitment": COMMITMENT,
        "entrants": ENTRANTS,
        "stock": 4,
        "winners": WINNERS,
        "options": {"algorithm": ALGORITHM},
    }
    return SimpleNamespace(**{**fields, **changes})


def test_verify_accepts_a_draw_that_re_runs_to_its_winners():
    assert verify_draw(stored()) is True


def test_verify_refuses_other_winners_or_a_seed_that_was_not_committed():
    assert verify_draw(stored(winners=[13, 89, 5])) is False
    other = "a-seed-nobody-committed-to"
    winners = draw_winners(ENTRANTS, stock=4, seed=other)
    assert verify_draw(stored(seed=other, winners=winners)) is False


def test_verify_cannot_re_run_a_draw_made_with_pythons_random():
    old = stored(seed="42", commitment="", options={"algorithm": "python-random-shuffle-v1"})
    assert verify_draw(old) is None


def docs_block(language):
    text = (Path(__file__).resolve().parents[2] / "docs" / "lottery.md").read_text()
    return re.search(rf"```{language}\n(.*?)```", text, re.S).group(1)


def test_the_python_in_the_docs_gives_the_pinned_winners():
    names = {}
    exec(docs_block("python"), names)  # our own docs, pinned by this test
    assert names["commitment"](SEED) == COMMITMENT
    assert names["draw"](SEED, ENTRANTS, 4) == WINNERS


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_javascript_in_the_docs_shuffles_the_same_way():
    ids = [pk for pk, _ in ENTRANTS]
    script = docs_block("js") + f"console.log(JSON.stringify(shuffle({SEED!r}, {ids})));"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == DRAW_ORDER
