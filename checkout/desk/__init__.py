"""The organiser desk, inside the Django admin site at /admin/desk/.

- access.py: who may use the desk (one predicate for the views, the live poll and templates);
- urls.py: its URLs, wrapped in the admin site's login and that predicate;
- queue.py: the live queue (its reads, cached under the SHARED version);
- pages.py: the pages (desk, participant, hand out, free items);
- actions.py: the POST actions, each one service call and a redirect back.
"""
