"""Widgets of the duty TUI: one widget per module."""
