"""Data for `manage.py seed_demo`: a real hackathon hardware inventory and real-looking people."""
