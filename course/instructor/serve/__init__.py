"""``descent serve``: feedback on submit, a grading service on the course hub.

Each submission in nbgrader's exchange is queued (:mod:`.journal`), read safely (:mod:`.inbound`),
graded by warm workers through ``descent grade``'s own pipeline (:mod:`.service`), and its feedback
released to that student (:mod:`.release`), as the instructor's policy allows (:mod:`.policy`).
"""
