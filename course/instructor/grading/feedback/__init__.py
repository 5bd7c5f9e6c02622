"""Stage 4, feedback: the pages a student receives, and what grading wrote into each graded notebook."""
