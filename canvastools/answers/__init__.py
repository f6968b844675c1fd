"""Where an answer is saved: the answer file next to the notebook (:mod:`.store`), its copy
inside the notebook (:mod:`.copies`), and lessons saved as shipped (:mod:`.lesson_save`).
"""
