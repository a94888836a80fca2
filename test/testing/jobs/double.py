"""An original MARVELO PythonJob, for testJob('python:...#Double') (docs/python-jobs.md)."""
from fission.core.jobs import PythonJob


class Double(PythonJob):
    def run(self, x):
        return 2 * x
