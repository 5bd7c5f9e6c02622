"""Stage 5, record: scores read back from the gradebook, checked, exported and reported."""
