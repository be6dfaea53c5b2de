"""Every change at the hardware desk, one module per concern.

Each function is one transaction that locks what it changes (entry row first, then request,
loan and unit rows: see transitions.py), validates, writes, and records who did it and when.
Live pages learn of the change from the models themselves (core/live.py). Views, admin
actions, management commands and tests call these same functions.
"""

from .closing import close_event
from .collateral import id_to_give_back, return_id, suggest_slot, take_id
from .handouts import record_handout
from .hardware_requests import (
    BatchOutcome,
    approve_request,
    approve_requests,
    cancel_request,
    cancel_requests,
    deny_request,
    deny_requests,
    submit_request,
)
from .loans import (
    ID_KINDS,
    ReturnOutcome,
    fulfil_request,
    return_loan,
    return_unit,
    set_due_back,
)
from .lottery import commit_lottery_seed, run_all_lotteries, run_lottery
from .scanned import amend_return, check_walk_up, hand_out_units
from .waitlist import Housekeeping, expire_overdue_pickups, housekeeping, promote_all_waitlists

__all__ = [
    "ID_KINDS",
    "Housekeeping",
    "BatchOutcome",
    "ReturnOutcome",
    "amend_return",
    "approve_request",
    "approve_requests",
    "cancel_request",
    "cancel_requests",
    "check_walk_up",
    "close_event",
    "commit_lottery_seed",
    "deny_request",
    "deny_requests",
    "expire_overdue_pickups",
    "fulfil_request",
    "hand_out_units",
    "housekeeping",
    "id_to_give_back",
    "promote_all_waitlists",
    "record_handout",
    "return_id",
    "return_loan",
    "return_unit",
    "run_all_lotteries",
    "run_lottery",
    "set_due_back",
    "submit_request",
    "suggest_slot",
    "take_id",
]
