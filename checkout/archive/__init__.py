"""Past events: what the desk did in an event that has been closed, kept for the organisers.

Closing an event (`checkout.services.close_event`) copies its requests with their history,
loans, ID ledger, lottery draws, hand-outs and CV consents into these tables, as they were
(names, emails, tags and entry names copied, not referenced), and then clears the live
tables for the next event on the same inventory. Nothing the next event does (renaming an
entry, a unit coming back damaged, a participant changing their name) can change what a
past event's rows say, and no page or query of the running event reads them.
"""
