"""The judge: hidden tests run in the grader on the student's functions, and the diagnosis of a failure."""
