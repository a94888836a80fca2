"""marvelo's runtime for the original MARVELO's PythonJobs (`uses: python:file.py#Class`).

It runs as an executable job (docs/executables.md): the worker gives it one descriptor per input and
output, and it reads rounds of `[head] + value` units, calls the job's `run`, and writes the results.
"""
