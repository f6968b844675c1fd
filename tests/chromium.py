"""Debian's Chromium as every browser test here starts it (../shared/browser-testing.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


def localhost_only(blocked: list[str]) -> Callable[[Any], None]:
    """A Playwright route handler: requests to 127.0.0.1 go on, every other one is aborted
    and its URL appended to ``blocked``: ``context.route("**/*", localhost_only(blocked))``."""

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    return route
