"""Stage 1, intake: submissions from folders, zips, an LMS download or nbgrader's exchange into ``submitted/``."""
