"""The leaves every room stands on: files and text, no domain knowledge.

YAML/JSON read with line numbers (:mod:`.yamlio`), shared loader checks (:mod:`.checks`),
files written whole and folders locked (:mod:`.safefiles`), the one HTML escaper and sanitizer
(:mod:`.htmlsafe`), text shown as written (:mod:`.literal`), localised texts (:mod:`.texts`).
"""
