"""The command-line verbs, one module each; ``canvastools/cli.py`` parses the arguments and
calls a module's keyword-only ``main(*, ...)``."""
