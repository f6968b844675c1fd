"""The controls the exercises are made of: :class:`ChoiceButtons`, one native radio button per
option (:class:`ChoiceRadio`), answerable with the keyboard and read out by screen readers."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

CHOSEN_MARK = "✓ "


class ChoiceRadio(widgets.RadioButtons):
    """One option of :class:`ChoiceButtons`: a native radio button with its label."""

    @property
    def text(self) -> str:
        """The option's text (without a tick)."""
        return str(self.options[0]) if self.options else ""

    def click(self) -> None:
        """Choose this option, as a student's click (or Space) does."""
        self.index = 0


class ChoiceButtons(widgets.Box):
    """One radio button per option; a click, or Tab then Space, chooses one (``value``).

    Each option is a native radio button (an ipywidgets ``RadioButtons`` of one option), so a
    screen reader says which answer is chosen ("radio button, checked"): ipywidgets 8 cannot
    give a plain button ``aria-pressed`` or a role. Instead of a list box, a drop-down or
    ToggleButtons: in JupyterLab and Notebook 7 the arrow keys on a focused list box or
    drop-down move to another cell, and ToggleButtons redraw their buttons when the choice
    moves, so the keyboard focus is lost. These radios stay in place: only their state
    changes; :attr:`labels` marks the chosen one with a tick ("✓ ").

    >>> pick = ChoiceButtons([("Self-service", "self_service"), ("Communities", "communities")])
    >>> pick.value = "communities"
    >>> pick.labels
    ['Self-service', '✓ Communities']
    """

    value = traitlets.Any(None, allow_none=True, help="the chosen option's value, or None")
    options = traitlets.List(help="[(label, value)]")
    tooltips = traitlets.List(traitlets.Unicode(), help="one per option (optional)")

    def __init__(self, options: Any = (), *, value: Any = None, vertical: bool = False,
                 button_width: str = "auto", tooltips: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("layout", widgets.Layout(
            flex_flow="column" if vertical else "row wrap", align_items="flex-start"))
        super().__init__(**kwargs)
        self._button_width = button_width
        self._buttons: list[ChoiceRadio] = []
        self._showing = False  # True while _render sets the radios (not a student's click)
        self.add_class("canvastools-choices")
        self.observe(self._render, names=["options", "value", "tooltips"])
        self.options = [tuple(o) for o in options]
        self.tooltips = list(tooltips)
        self.value = value
        self._render()

    def _render(self, _change: Any = None) -> None:
        self._showing = True
        try:
            for index in range(len(self._buttons), len(self.options)):
                radio = ChoiceRadio(options=[""], index=None, layout=widgets.Layout(
                    width=self._button_width, margin="2px 12px 2px 0"))
                radio.add_class("canvastools-choice")
                radio.observe(lambda change, i=index: self._clicked(i, change.new),
                              names="index")
                self._buttons.append(radio)
            for i, (label, value) in enumerate(self.options):
                chosen = value == self.value and self.value is not None
                radio = self._buttons[i]
                if radio.options != (str(label),):
                    radio.options = [str(label)]
                # nothing else of the chosen radio changes: ipywidgets redraws a RadioButtons
                # on any change from the kernel, and the keyboard focus would be lost
                radio.index = 0 if chosen else None
                radio.tooltip = self.tooltips[i] if i < len(self.tooltips) else str(label)
        finally:
            self._showing = False
        shown = tuple(self._buttons[:len(self.options)])
        if tuple(self.children) != shown:
            self.children = shown

    def _clicked(self, index: int, radio_index: int | None) -> None:
        if self._showing or index >= len(self.options):
            return
        if radio_index == 0:
            self.value = self.options[index][1]
        else:  # a radio is never unchecked by a student: show the choice again
            self._render()

    @property
    def labels(self) -> list[str]:
        """The options' texts, the chosen one with a tick."""
        return [(CHOSEN_MARK if b.index == 0 else "") + b.text for b in self.children]
