from django.urls import path

from . import actions, closing, dashboard, due_back, pages, printing, report, scan
from .access import desk_view


def urls(site):
    """The desk's URLs, added to the admin site (cogproject/admin.py)."""

    def view(func):
        return desk_view(site, func)

    return [
        path("desk/", view(pages.desk), name="desk"),
        path("desk/participant/<int:pk>/", view(pages.participant), name="desk_participant"),
        path("desk/fulfil/<int:pk>/", view(pages.fulfil), name="desk_fulfil"),
        path("desk/handout/", view(pages.handout), name="desk_handout"),
        path("desk/approve/<int:pk>/", view(actions.approve), name="desk_approve"),
        path("desk/deny/<int:pk>/", view(actions.deny), name="desk_deny"),
        path("desk/cancel/<int:pk>/", view(actions.cancel), name="desk_cancel"),
        path("desk/batch/", view(actions.batch), name="desk_batch"),
        path("desk/scan/", view(scan.scan), name="desk_scan"),
        path("desk/labels/", view(printing.unit_labels), name="desk_labels"),
        path("desk/badges/", view(printing.badges), name="desk_badges"),
        path("desk/scan/follow-up/", view(scan.follow_up), name="desk_scan_follow_up"),
        path("desk/loan/<int:pk>/return/", view(actions.return_loan), name="desk_return_loan"),
        path("desk/id/take/<int:user_pk>/", view(actions.take_id), name="desk_take_id"),
        path("desk/id/<int:pk>/return/", view(actions.return_id), name="desk_return_id"),
        path("desk/lottery/<int:pk>/run/", view(actions.run_lottery), name="desk_run_lottery"),
        path("desk/lottery/commit/", view(pages.commit_seed), name="desk_commit_seed"),
        path(
            "desk/lottery/run-all/",
            view(actions.run_all_lotteries),
            name="desk_run_all_lotteries",
        ),
        path("desk/housekeeping/", view(actions.housekeeping), name="desk_housekeeping"),
        path("desk/dashboard/", view(dashboard.dashboard), name="desk_dashboard"),
        path("desk/due-back/", view(due_back.due_back), name="desk_due_back"),
        path("desk/close-out/", view(report.closeout), name="desk_closeout"),
        path("desk/close-event/", view(closing.close_event), name="desk_close_event"),
        path(
            "desk/close-out/close-out.csv",
            view(report.closeout_download),
            {"fmt": "csv"},
            name="desk_closeout_csv",
        ),
        path(
            "desk/close-out/close-out.xlsx",
            view(report.closeout_download),
            {"fmt": "xlsx"},
            name="desk_closeout_xlsx",
        ),
    ]
