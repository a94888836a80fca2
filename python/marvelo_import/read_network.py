"""Reads an original MARVELO network folder and prints what it defines as one JSON document.

Usage: python3 read_network.py <network folder>

The folder's config.py is imported the way the original's manage.py did (`<network>.config`, with the
folder's parent, the project, as working folder and on sys.path), with marvelo's compatibility package
`fission` first on sys.path, so constructing jobs, pipes and nodes only records them in the registries.
What config.py prints goes to stderr; stdout carries exactly one JSON document: the network, or
{"error": ...} when config.py raises.
"""
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)

CONFIG_KEYS = (
    "USER", "REMOTE_ROOT", "LOG_LEVEL", "LOG_FILE", "CLIENT_IP", "DEBUG_WINDOW", "JOBS", "NODES",
    "PRE_COPY", "XML_FILE", "XML_ARGS", "PULSE_INTERVAL", "HEAD_SIZE",
)
PIPE_METHODS = ("pack", "unpack", "read", "write", "read_wrapper", "read_head", "write_head", "get_dummy")


def main(argv):
    folder = os.path.abspath(argv[1])
    project = os.path.dirname(folder)
    name = os.path.basename(folder)
    out = sys.stdout
    sys.stdout = sys.stderr  # config.py and the job modules may print
    sys.path[:0] = [PYTHON_DIR, project]
    os.chdir(project)
    os.environ["FISSION_CONFIG_MODULE"] = f"{name}.config"
    try:
        config = import_config(folder, name)
    except BaseException as e:  # noqa: BLE001 - anything config.py raises, SystemExit included
        out.write(json.dumps(config_error(e, project)) + "\n")
        return 0
    from fission.core import base
    result = {
        "name": name,
        "folder": folder,
        "project": project,
        "config": read_config(config),
        "jobs": [read_job(job, project) for job in base.JOBS.values()],
        "pipes": [read_pipe(pipe) for pipe in base.PIPES.values()],
        "nodes": [read_node(node) for node in base.NODES.values()],
        "unregistered_nodes": unregistered_nodes(config, base.NODES),
        "xml": read_xml(config, folder, project),
    }
    out.write(json.dumps(result) + "\n")
    return 0


def import_config(folder, name):
    if name.isidentifier():
        return importlib.import_module(f"{name}.config")
    spec = importlib.util.spec_from_file_location("config", os.path.join(folder, "config.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def config_error(e, project):
    frames = traceback.extract_tb(e.__traceback__)
    own = [f for f in frames if not f.filename.startswith("<") and os.path.abspath(f.filename).startswith(project + os.sep)]
    where = own[-1] if own else (frames[-1] if frames else None)
    shown = traceback.format_list(own or frames[-1:]) + traceback.format_exception_only(type(e), e)
    lines = "".join(shown).rstrip("\n").split("\n")
    file, line = (os.path.abspath(where.filename), where.lineno) if where else (None, None)
    if isinstance(e, SyntaxError) and e.filename and os.path.isfile(e.filename):
        file, line = os.path.abspath(e.filename), e.lineno  # the file that does not parse, not its importer
    return {
        "error": "config",
        "kind": type(e).__name__,
        "missing_module": getattr(e, "name", None) if isinstance(e, ModuleNotFoundError) else None,
        "message": f"{type(e).__name__}: {e}",
        "file": file,
        "line": line,
        "traceback": lines[-8:],
    }


def as_json(value):
    """(True, value as JSON data) or (False, its repr). Tuples become lists."""
    def convert(v):
        if v is None or isinstance(v, (bool, int, str)):
            return v
        if isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                raise ValueError
            return v
        if isinstance(v, (list, tuple)):
            return [convert(x) for x in v]
        if isinstance(v, dict) and all(isinstance(k, str) for k in v):
            return {k: convert(x) for k, x in v.items()}
        raise ValueError
    try:
        return True, convert(value)
    except ValueError:
        return False, repr(value)[:200]


def read_config(config):
    keys = {}
    for key in CONFIG_KEYS:
        if key in ("JOBS", "NODES") or not hasattr(config, key):
            continue
        ok, value = as_json(getattr(config, key))
        keys[key] = value if ok else {"repr": value}
    others = sorted(
        k for k in vars(config)
        if k.isupper() and k not in CONFIG_KEYS and not inspect.ismodule(getattr(config, k))
        and not inspect.isclass(getattr(config, k))
    )
    return {"file": os.path.abspath(config.__file__), "keys": keys, "other_keys": others}


def class_names(cls):
    return [c.__name__ for c in inspect.getmro(cls) if c is not object]


def own_methods(cls, names):
    """Methods among `names` that a class outside the compatibility package defines."""
    found = []
    for c in inspect.getmro(cls):
        if c.__module__.split(".")[0] == "fission" or c is object:
            continue
        found.extend(n for n in names if n in vars(c) and n not in found)
    return found


def source_file(cls):
    try:
        return os.path.abspath(inspect.getsourcefile(cls))
    except (TypeError, OSError):
        return None


def job_kind(names):
    if "InteractiveJob" in names:
        return "console"
    if "CSVSinkJob" in names:
        return "csv-sink"
    if "MARVELOJob" in names:
        return "marvelo"
    if "ExecutableJob" in names:
        return "executable"
    if "PythonJob" in names:
        return "python"
    return "other"


def read_job(job, project):
    cls = type(job)
    names = class_names(cls)
    kind = job_kind(names)
    if kind in ("console", "csv-sink") and own_methods(cls, ("run", "setup", "__init__")):
        kind = "python"  # a subclass with its own code is a PythonJob of the user's
    info = {
        "id": job.id,
        "cls": cls.__name__,
        "module": cls.__module__,
        "file": source_file(cls),
        "kind": kind,
        "bases": names,
        "inputs": [p.id for p in job.inputs],
        "outputs": [p.id for p in job.outputs],
        "groups": groups_of(job.GROUPS),
        "default_node": getattr(job, "DEFAULT_NODE", None) or None,
        "head": bool(getattr(job, "HEAD", False)),
        "max_queue": getattr(job, "MAX_QUEUE", 0) or 0,
        "has_preference": "preference" in own_methods(cls, ("preference",)),
        "dependencies": read_dependencies(getattr(job, "DEPENDENCIES", None), project),
    }
    if kind in ("executable", "marvelo"):
        info.update({
            "executable": job.EXECUTABLE,
            "parameters": job.PARAMETERS or "",
            "input_flag": job.INPUT_FLAG,
            "output_flag": job.OUTPUT_FLAG,
        })
    elif kind == "csv-sink":
        info["csv"] = {
            "path": str(job.path),
            "columns": [job.col_pattern.format(pipe=p, job=job) for p in job.inputs],
        }
    elif kind == "python":
        info["params"], info["params_lost"] = read_params(job)
    return info


def groups_of(groups):
    if isinstance(groups, str):
        return [groups]
    return [getattr(g, "name", g) for g in groups or []]


def read_dependencies(deps, project):
    result = {"dirs": [], "missing": [], "modules": []}
    if deps is None:
        return result
    for dep in deps if isinstance(deps, list) else [deps]:
        if isinstance(dep, str):
            path = os.path.abspath(os.path.join(project, dep))
            if os.path.isdir(path):
                result["dirs"].append(path)
            else:
                result["missing"].append(dep)
        else:
            result["modules"].append(getattr(dep, "__name__", repr(dep)))
    return result


def read_params(job):
    """The constructor's arguments by name, and what cannot be carried (no name, or not JSON data)."""
    args = list(getattr(job, "_marvelo_args", ()))
    kwargs = dict(getattr(job, "_marvelo_kwargs", {}))
    named = []
    try:
        params = list(inspect.signature(type(job).__init__).parameters.values())[1:]
        named = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                 and p.name not in ("inputs", "outputs")]
    except (TypeError, ValueError):
        pass
    values, lost = {}, []
    by_name = {}
    for i, value in enumerate(args):
        if i < len(named):
            by_name[named[i]] = value
        else:
            ok, converted = as_json(value)
            text = json.dumps(converted) if ok else converted
            lost.append({"param": f"positional argument {i + 1}", "repr": text, "why": "unnamed"})
    by_name.update(kwargs)
    for key, value in by_name.items():
        ok, converted = as_json(value)
        if ok:
            values[key] = converted
        else:
            lost.append({"param": key, "repr": converted, "why": "not-json"})
    return values, lost


def read_pipe(pipe):
    cls = type(pipe)
    names = class_names(cls)
    optional = None
    if "OptionalMixIn" in names:
        ok, default = as_json(pipe.OPTIONAL_DEFAULT)
        optional = {
            "default": default if ok else None,
            "default_repr": None if ok else default,
            "store": bool(pipe.OPTIONAL_STORE),
            "buffer": int(pipe.OPTIONAL_BUFFER_SIZE or 0),
            "drop": pipe.OPTIONAL_DELETE_MODE,
        }
    block_size = pipe.BLOCK_SIZE
    return {
        "id": pipe.id,
        "cls": cls.__name__,
        "bases": names,
        "codec": getattr(pipe, "MARVELO_CODEC", None),
        "block_size": block_size if isinstance(block_size, (int, str)) else None,
        "block_count": pipe.BLOCK_COUNT if isinstance(pipe.BLOCK_COUNT, int) else 1,
        "async": bool(pipe.ASYNC),
        "optional": optional,
        "custom_methods": own_methods(cls, PIPE_METHODS),
    }


def read_node(node):
    return {
        "host": node.host,
        "name": getattr(node, "_name", "") or "",
        "cls": type(node).__name__,
        "bases": class_names(type(node)),
        "groups": groups_of(node.GROUPS),
        "cpus": getattr(node, "cpus", 0) or 0,
        "port": getattr(node, "port", None),
    }


def unregistered_nodes(config, registered):
    """Entries of config.NODES that are not registered nodes: MultiNode, CSV file paths, others."""
    found = []
    for entry in getattr(config, "NODES", None) or []:
        if any(entry is n for n in registered.values()):
            continue
        host = getattr(entry, "host", None) or getattr(entry, "ip", None)
        found.append({"cls": type(entry).__name__, "repr": f"{type(entry).__name__}({host!r})" if host else repr(entry)[:200]})
    return found


def read_xml(config, folder, project):
    """The jobs of an XML_FILE (the original's XMLLoader format, its default tag names)."""
    xml_file = getattr(config, "XML_FILE", None)
    if not xml_file:
        return None
    import xml.etree.ElementTree as ET
    candidates = [os.path.join(project, xml_file), os.path.join(folder, xml_file)]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if path is None:
        return {"file": xml_file, "missing": True, "jobs": []}
    root = ET.parse(path).getroot()
    base_dir = os.path.dirname(path)
    jobs = []
    for node in root:
        ip = node.get("pi_id")
        for algorithm in node:
            def pipes(tag):
                return [{
                    "id": int(atom.get("pipe_id")),
                    "block_size": int(atom.get("block_size") or 1),
                    "block_count": int(atom.get("block_count") or 1),
                } for atom in algorithm if atom.tag == tag]
            dep = algorithm.get("path")
            dep_dir = None
            if dep:
                dep_dir = next((os.path.abspath(os.path.join(b, dep)) for b in (project, folder, base_dir)
                                if os.path.isdir(os.path.join(b, dep))), None)
            jobs.append({
                "node": ip,
                "executable": algorithm.get("executable") or "",
                "dependency": dep,
                "dependency_dir": dep_dir,
                "parameters": " ".join(a.get("param") or "" for a in algorithm if a.tag == "parameter"),
                "inputs": pipes("input"),
                "outputs": pipes("output"),
            })
    return {"file": os.path.abspath(path), "missing": False, "jobs": jobs}


if __name__ == "__main__":
    sys.exit(main(sys.argv))
