"""Public checks, one module per assignment topic; each registers its problems with ``course.check.problem``."""
