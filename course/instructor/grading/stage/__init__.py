"""Stage 2, stage and inspect: the checked copies of a submission that nbgrader grades, and what to review."""
