"""Before a class hands anything in: ``release/`` from ``source/``, the gradebook's assignments, sample submissions."""
