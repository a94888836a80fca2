"""A compatibility package: the parts of MARVELO's `fission` API that network and job files import.

Jobs written for the original import `fission.core.jobs`, `fission.core.pipes` and friends from here,
unchanged. Nothing in this package talks to a cluster: constructing objects only records them in the
registries of `fission.core.base`, and marvelo's Python runtime runs a `PythonJob`'s code.
"""
