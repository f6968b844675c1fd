"""The domain as data: the taxonomies and the canvas's blocks (:mod:`.taxonomy`), case banks
(:mod:`.cases`), canvas files (:mod:`.canvas`), the glossary (:mod:`.glossary`) and order keys
(:mod:`.ordering`). No drawing, no widgets, no grading.
"""
