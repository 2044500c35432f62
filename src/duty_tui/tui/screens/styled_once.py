"""Screens whose first showing does not style them twice, nor lay out the screens under them.

Textual (8.2.8) applies the stylesheet to every widget of a new screen as it is mounted, and
then, when the screen is pushed and resumes, to every widget again
(``Screen._on_screen_resume`` with ``ScreenResume.refresh_styles``): nothing has changed in
between, and on a record's form that second pass is 90-odd nodes and a fifth of the key's
time (issue 14). A later resume, when a screen above is closed, restyles as before (the app's
theme or language may have changed meanwhile).

And the new screen's first layout tells it its size (a Resize), on which Textual lays it out
again, and every screen under it, then paints the whole terminal again: for a dialog over a list,
a second full frame some 30 ms after the first, though no size has changed. That first Resize,
at the app's own size, is taken as said; a real one (the terminal resized) is handled as ever."""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class StyledOnce(Screen):
    """A mixin before the Screen class: ``class FormScreen(StyledOnce, Screen[...])``."""

    _resumed_before = False
    _sized_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls the handler of every class in the MRO, this one first, then Screen's,
        # which reads refresh_styles: so no super() call here
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False  # styled as it was mounted, a moment ago

    def _on_resize(self, event: events.Resize) -> None:
        # as above, this runs before Screen's handler; prevent_default() skips it
        if self._sized_before:
            return
        self._sized_before = True
        breakpoints = (self.app.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is None else self.HORIZONTAL_BREAKPOINTS,
                       self.app.VERTICAL_BREAKPOINTS if self.VERTICAL_BREAKPOINTS is None else self.VERTICAL_BREAKPOINTS)
        if event.size == self.app.size and not any(breakpoints):
            event.stop()
            event.prevent_default()  # laid out at this size a moment ago, and so are the screens under it
