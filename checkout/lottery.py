"""The lottery draw, as anyone can re-run it: algorithm "sha256-fisher-yates-v1".

Pure functions, no database, no `random`: a participant can check a draw with SHA-256 and a
few lines in any language (docs/lottery.md has them). The steps:

1. Commitment. Before entries close, a seed (text) is fixed and `sha256(seed as UTF-8)` in
   lowercase hex is published on the lottery's page and to its entrants. The draw reveals the
   seed; anyone can hash it and compare.
2. Order. Sort the entrants, `[request id, quantity]` pairs, by request id, ascending.
3. Shuffle (Fisher-Yates, from the end). For i = n-1 down to 1:
   h = SHA-256(seed as UTF-8 bytes followed by i as an 8-byte big-endian unsigned integer);
   j = (the first 8 bytes of h, read as a big-endian unsigned integer) mod (i + 1);
   swap the entrants at positions i and j (0-based).
4. Winners. Walk the shuffled list with the stock left: stop when no stock is left; an
   entrant whose quantity fits in what is left wins and takes it; one whose quantity does not
   fit is skipped (a later, smaller request may still fit).

Modulo bias: reducing a 64-bit number mod (i + 1) favours some j by at most (i + 1) / 2^64,
below 10^-11 in total for ten thousand entrants. We accept it rather than add rejection
sampling, so that the check stays a few lines long.
"""

import hashlib
import re
import secrets

ALGORITHM = "sha256-fisher-yates-v1"
# A seed the organisers choose: long enough that it cannot be guessed from its hash, and
# printable ASCII without spaces, so it hashes the same wherever it is pasted.
CHOSEN_SEED = re.compile(r"[!-~]{16,100}")


def new_seed():
    """A random seed: 32 bytes from the OS, as 64 hex characters."""
    return secrets.token_hex(32)


def commitment_of(seed):
    """The published commitment to `seed`: SHA-256 of its UTF-8 bytes, lowercase hex."""
    return hashlib.sha256(seed.encode()).hexdigest()


def shuffled(entrants, *, seed):
    """Step 2 and 3: the entrants (`[request id, quantity]` pairs) in draw order."""
    order = sorted([pk, quantity] for pk, quantity in entrants)
    key = seed.encode()
    for i in range(len(order) - 1, 0, -1):
        h = hashlib.sha256(key + i.to_bytes(8, "big")).digest()
        j = int.from_bytes(h[:8], "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def draw_winners(entrants, *, stock, seed):
    """The whole draw: winning request ids in draw order. Same inputs, same winners."""
    winners, left = [], stock
    for pk, quantity in shuffled(entrants, seed=seed):
        if left <= 0:
            break
        if quantity <= left:
            winners.append(pk)
            left -= quantity
    return winners


def verify_draw(draw):
    """Check a stored draw (a LotteryDraw, or anything with its fields; no query): True when
    its seed hashes to its commitment and re-running it gives its winners, False when not.
    None for a draw made with another algorithm (the first draws used Python's `random`,
    whose shuffle this code no longer carries): it cannot be re-run here."""
    if draw.options.get("algorithm") != ALGORITHM:
        return None
    return commitment_of(draw.seed) == draw.commitment and draw.winners == draw_winners(
        draw.entrants, stock=draw.stock, seed=draw.seed
    )
