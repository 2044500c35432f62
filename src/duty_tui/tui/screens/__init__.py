"""Screens and the views of the main screen's pane: one per module."""
