"""The controls the exercises are made of: :class:`ChoiceButtons`, one button per option."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

CHOSEN_MARK = "✓ "


class ChoiceButtons(widgets.Box):
    """One button per option; a click, or Tab then Enter/Space, chooses one (``value``).

    Instead of a list box, a drop-down or ToggleButtons: in JupyterLab and Notebook 7 the arrow
    keys on a focused list box or drop-down move to another cell, and ToggleButtons redraw
    their buttons when the tick moves, so the keyboard focus is lost. These buttons stay in
    place: only their texts change. The chosen one starts with a tick ("✓ "), which is read
    out and seen, not only a colour.
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
        self._buttons: list[widgets.Button] = []
        self.add_class("canvastools-choices")
        self.observe(self._render, names=["options", "value", "tooltips"])
        self.options = [tuple(o) for o in options]
        self.tooltips = list(tooltips)
        self.value = value
        self._render()

    def _render(self, _change: Any = None) -> None:
        for index in range(len(self._buttons), len(self.options)):
            button = widgets.Button(layout=widgets.Layout(width=self._button_width,
                                                          margin="2px 4px 2px 0"))
            button.add_class("canvastools-choice")
            button.on_click(lambda _b, i=index: self._clicked(i))
            self._buttons.append(button)
        for i, (label, value) in enumerate(self.options):
            chosen = value == self.value and self.value is not None
            button = self._buttons[i]
            button.description = (CHOSEN_MARK if chosen else "") + str(label)
            button.button_style = "info" if chosen else ""
            button.tooltip = self.tooltips[i] if i < len(self.tooltips) else str(label)
        shown = tuple(self._buttons[:len(self.options)])
        if tuple(self.children) != shown:
            self.children = shown

    def _clicked(self, index: int) -> None:
        if index < len(self.options):
            self.value = self.options[index][1]

    @property
    def labels(self) -> list[str]:
        """The buttons' texts, the chosen one with its tick."""
        return [b.description for b in self.children]
