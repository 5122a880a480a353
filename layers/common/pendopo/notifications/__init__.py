"""Notification emails: rendering (jinja2) and sending (SES v2)."""
