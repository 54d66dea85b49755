"""Notifications to users: on screen and by e-mail."""
