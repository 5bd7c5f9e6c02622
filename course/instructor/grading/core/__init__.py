"""What every stage of grading shares: the course, its configuration, locks and cell roles."""
