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


class PaintedSettled(Screen):
    """A mixin before the Screen class: a frame is not painted when the layout that made it has
    already asked for another.

    A new screen's first layout finds that a list or a menu is longer than its window; the
    scrollbar that then appears asks for a second layout (Textual's ``show_vertical_scrollbar``
    is a layout reactive, set as the first layout tells each widget its size), and Textual has
    painted the whole terminal in between: two full frames for one key, 10-17 ms of rendering
    each at 100x30 (issue 14). Such a frame is held for the layout that follows, which paints
    what both changed; a held frame is painted anyway after HOLD_AT_MOST seconds, so a widget
    that asked for a layout it never gets cannot leave the screen unpainted."""

    HOLD_AT_MOST = 0.05
    _in_layout = False
    _frame_held = False
    _holds = 0

    def _refresh_layout(self, size=None, scroll: bool = False) -> None:
        self._in_layout = True
        try:
            super()._refresh_layout(size, scroll)
        finally:
            self._in_layout = False

    def _compositor_refresh(self) -> None:
        if self.is_current:
            if self._in_layout:
                if self._holds < 2 and self._asked_again():
                    self._holds += 1
                    self._frame_held = True
                    self.set_timer(self.HOLD_AT_MOST, self._paint_held)
                    return
            elif self._frame_held:
                return  # a repaint before the layout asked for: painted with it
        self._frame_held = False
        self._holds = 0
        super()._compositor_refresh()

    def _asked_again(self) -> bool:
        """Whether a widget on the screen (a scrollbar included) waits for a layout: the screen's
        own flag stays set until the layout under way returns, so it is not asked."""
        return any(w._layout_required and w is not self for w in self._compositor._full_map)

    def _paint_held(self) -> None:
        if self._frame_held:
            self._frame_held = False
            self._holds = 0
            super()._compositor_refresh()


class StyledOnce(PaintedSettled):
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
