"""``canvastools report``: where the report's numbers come from (:mod:`.build` reads the
gradebook and the results, :mod:`.item_stats` and :mod:`.analysis` compute the statistics) and
how they are shown (:mod:`.figures`, :mod:`.page`).
"""
