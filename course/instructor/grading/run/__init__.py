"""Stage 3, run: the notebook executed in a sandboxed kernel, each test cell handed to the judge."""
