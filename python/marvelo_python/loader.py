"""Imports a job module the way the original's layout expects, and finds the job class in it.

A module in a package folder (with __init__.py) is imported under its dotted name from the parent of
the topmost package, so `from ..pipes.pipes import X` works; that parent and every package folder down
to the module's own are on sys.path, so `from demo.jobs.jobs import X` and `from jobs.jobs import X`
work too. A module outside a package is imported by its file name with its folder on sys.path.
"""
import importlib
import os
import sys


class LoadError(Exception):
    def __init__(self, message, hint=""):
        super().__init__(message)
        self.hint = hint


def package_chain(module_file):
    """(root folder, [package folders from the topmost down], dotted module name)."""
    module_file = os.path.abspath(module_file)
    folder = os.path.dirname(module_file)
    stem = os.path.splitext(os.path.basename(module_file))[0]
    packages = []
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        packages.insert(0, folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    names = [os.path.basename(p) for p in packages]
    return folder, packages, ".".join(names + [stem])


def import_module_file(module_file):
    if not os.path.isfile(module_file):
        raise LoadError(f"the module file {module_file} does not exist")
    root, packages, name = package_chain(module_file)
    for entry in reversed([root] + packages):
        if entry not in sys.path:
            sys.path.insert(1, entry)
    try:
        return importlib.import_module(name)
    except SyntaxError as e:
        raise LoadError(f"{module_file} has a syntax error: {e.msg} (line {e.lineno})") from None
    except ImportError as e:
        raise LoadError(
            f"importing {module_file} failed: {e}",
            "marvelo provides fission.core.{jobs,pipes,base,nodes}; other packages must be installed for python3 on the node",
        ) from None


def find_job_class(module, class_name, module_file):
    from fission.core.jobs import ExecutableJob, PythonJob

    cls = getattr(module, class_name, None)
    if cls is None:
        classes = sorted(n for n, v in vars(module).items() if isinstance(v, type) and issubclass(v, PythonJob) and v is not PythonJob)
        raise LoadError(
            f"{module_file} has no class {class_name}",
            f"its PythonJob classes: {', '.join(classes) if classes else '(none)'}",
        )
    if not isinstance(cls, type) or not issubclass(cls, PythonJob):
        if isinstance(cls, type) and issubclass(cls, ExecutableJob):
            raise LoadError(
                f"{class_name} in {module_file} is an ExecutableJob, not a PythonJob",
                "run a program with the executable: form of a job (docs/executables.md)",
            )
        raise LoadError(
            f"{class_name} in {module_file} is not a PythonJob subclass",
            "the class must extend fission.core.jobs.PythonJob (from fission.core.jobs import PythonJob)",
        )
    if cls.run is PythonJob.run:
        raise LoadError(f"{class_name} in {module_file} does not define run()", "override run(self, *inputs) (or make it a generator for a source)")
    return cls
