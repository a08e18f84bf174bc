"""The server-rendered Chinese search page (Jinja2 templates, own CSS and JS)."""
