"""Entry point: `python3 -m marvelo_python --job <json> -i <fd>... -o <fd>...` runs one job;
`python3 -m marvelo_python --check <json>` checks a job class and prints what the network needs of it.

The job description (JSON): module (path of the .py file), class, params, head (the HEAD to use, or
null for the class's), head_size, inputs [{name, codec, block_size, block_count, optional}], outputs
[{name, codec, block_size}].
"""
import inspect
import json
import os
import sys
import traceback

from .loader import LoadError, find_job_class, import_module_file
from .rounds import JobRuleError, RoundRunner
from .streams import InputStream, OutputStream, StreamError

RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))


def parse_argv(argv):
    mode, spec, ins, outs = None, None, [], []
    i = 0
    while i < len(argv):
        flag = argv[i]
        value = argv[i + 1] if i + 1 < len(argv) else None
        if value is None:
            raise SystemExit(f"marvelo_python: {flag} needs a value")
        if flag in ("--job", "--check"):
            mode, spec = flag[2:], json.loads(value)
        elif flag == "-i":
            ins.append(value)
        elif flag == "-o":
            outs.append(value)
        else:
            raise SystemExit(f"marvelo_python: unknown argument {flag}")
        i += 2
    if mode is None:
        raise SystemExit("marvelo_python: give --job <json> or --check <json>")
    return mode, spec, ins, outs


def pipe_id(name):
    return int(name) if name.isdigit() else name


def make_pipe(port, block_count):
    """The original's pipe class for a port's codec (so a job's `self.inputs[i]` looks as it did there)."""
    from fission.core import pipes

    optional = port.get("optional", False)
    codec = port["codec"]
    pid = pipe_id(port["name"])
    if codec == "bytes":
        cls = pipes.OptionalBytesPipe if optional else pipes.BytesPipe
        return cls(pid, port["block_size"], block_count)
    cls = {"msgpack": (pipes.PicklePipe, pipes.OptionalPicklePipe), "json": (pipes.JSONPipe, pipes.OptionalJSONPipe)}[codec][1 if optional else 0]
    pipe = cls(pid)
    pipe.BLOCK_COUNT = block_count
    return pipe


def construct(cls, spec):
    """The job object: params as keyword arguments, plus the pipe objects for its inputs and outputs."""
    in_pipes = [make_pipe(p, 1 if p.get("optional") else p.get("block_count", 1)) for p in spec["inputs"]]
    out_pipes = [make_pipe(p, 1) for p in spec["outputs"]]
    kwargs = dict(spec.get("params") or {})
    if in_pipes:
        kwargs["inputs"] = in_pipes
    if out_pipes:
        kwargs["outputs"] = out_pipes
    check_signature(cls, kwargs)
    job = cls(**kwargs)
    if not job.inputs:
        job.inputs = in_pipes
    if not job.outputs:
        job.outputs = out_pipes
    for attr, default in (("head", None), ("finished", False)):
        if not hasattr(job, attr):
            setattr(job, attr, default)
    job.in_heads = [None] * len(job.inputs)
    job.out_heads = [None] * len(job.outputs)
    return job, in_pipes, out_pipes


def check_signature(cls, kwargs):
    try:
        inspect.signature(cls).bind(**kwargs)
    except TypeError as e:
        names = ", ".join(k for k in kwargs if k not in ("inputs", "outputs")) or "(none)"
        raise LoadError(
            f"{cls.__name__}(...) cannot take the job's arguments: {e}",
            f"params are passed as keyword arguments (given: {names}), plus inputs=[...] and outputs=[...] for its pipes",
        ) from None
    except ValueError:
        pass


def check_run_arity(cls, n_inputs):
    run = cls.run
    if inspect.isgeneratorfunction(run):
        return
    try:
        params = list(inspect.signature(run).parameters.values())[1:]
    except (TypeError, ValueError):
        return
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    if not len(required) <= n_inputs <= len(positional):
        raise LoadError(
            f"{cls.__name__}.run() takes {len(required)} input value(s), and the job has {n_inputs} input(s)",
            "run() gets one argument per input, in the order of inputs: in the network file",
        )


def statics_of(cls):
    def names(value):
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return list(value)
        return None

    return {
        "HEAD": bool(cls.HEAD),
        "GROUPS": names(cls.GROUPS),
        "DEFAULT_NODE": cls.DEFAULT_NODE if isinstance(cls.DEFAULT_NODE, str) and cls.DEFAULT_NODE else None,
        "MAX_QUEUE": cls.MAX_QUEUE if isinstance(cls.MAX_QUEUE, int) and cls.MAX_QUEUE > 0 else None,
    }


def check_one(spec):
    """{"ok": true, "statics": {...}} or {"ok": false, "message", "hint"} for one job description."""
    try:
        module = import_module_file(spec["module"])
        cls = find_job_class(module, spec["class"], spec["module"])
        check_run_arity(cls, len(spec["inputs"]))
        kwargs = dict(spec.get("params") or {})
        if spec["inputs"]:
            kwargs["inputs"] = []
        if spec["outputs"]:
            kwargs["outputs"] = []
        check_signature(cls, kwargs)
        return {"ok": True, "statics": statics_of(cls)}
    except LoadError as e:
        return {"ok": False, "message": str(e), "hint": e.hint}
    except Exception as e:  # the module's own top-level code failed
        lines = traceback.format_exception_only(type(e), e)
        return {"ok": False, "message": f"importing {spec['module']} failed: {''.join(lines).strip()}", "hint": ""}


def check(specs):
    """Checks a list of job descriptions in one process; prints one JSON line: the list of answers."""
    answers = []
    for spec in specs:
        stdout = sys.stdout
        sys.stdout = sys.stderr  # what a module prints while imported must not garble the answer
        try:
            answers.append(check_one(spec))
        finally:
            sys.stdout = stdout
    print(json.dumps(answers))


def enter_worker_folder():
    """Work where script jobs of this node work (on the client: the folder of `marvelo run`), so a
    relative path such as a CSVSinkJob's file lands there; the job's own folder, with its shipped
    code and dependencies, stays reachable as MARVELO_JOB_DIR."""
    job_dir = os.getcwd()
    os.environ["MARVELO_JOB_DIR"] = job_dir
    sys.path[:] = [os.path.abspath(p) if p else job_dir for p in sys.path]
    try:
        os.chdir(os.readlink(f"/proc/{os.getppid()}/cwd"))
    except OSError:
        pass  # no /proc (not Linux): stay in the job's folder


def run(spec, ins, outs):
    module = import_module_file(os.path.abspath(spec["module"]))
    enter_worker_folder()
    cls = find_job_class(module, spec["class"], spec["module"])
    job, in_pipes, out_pipes = construct(cls, spec)
    if spec.get("name"):
        job.id = spec["name"]  # what a job prints as self.id: its name in the network file
    head = bool(cls.HEAD) if spec.get("head") is None else bool(spec["head"])
    job.HEAD = head
    head_size = spec["head_size"]
    job._marvelo_head_size = head_size
    inputs = [
        (InputStream(int(fd), p["name"], p["codec"], head_size, p.get("block_size")), pipe, pipe.BLOCK_COUNT)
        for fd, p, pipe in zip(ins, spec["inputs"], in_pipes)
    ]
    outputs = [
        (OutputStream(int(fd), p["name"], p["codec"], head_size, p.get("block_size")), pipe)
        for fd, p, pipe in zip(outs, spec["outputs"], out_pipes)
    ]
    job.setup()
    RoundRunner(job, inputs, outputs, head_size, head).run()
    for stream, _ in outputs:
        stream.close()


def user_traceback(error):
    """The traceback without this runtime's own frames: what matters is the job's code."""
    tb = traceback.TracebackException.from_exception(error)
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if not f.filename.startswith(RUNTIME_DIR)])
    return "".join(tb.format())


def main(argv=None):
    mode, spec, ins, outs = parse_argv(sys.argv[1:] if argv is None else argv)
    if sys.version_info < (3, 8):
        too_old = f"python3 is {sys.version.split()[0]}, and python jobs need 3.8 or newer"
        if mode == "check":
            print(json.dumps([{"ok": False, "message": too_old, "hint": "install Python 3.8 or newer as python3"}] * len(spec)))
        else:
            sys.stderr.write(too_old + "\n")
        return 1 if mode != "check" else 0
    if mode == "check":
        check(spec)
        return 0
    job_name = f"{spec['class']} ({spec['module']})"
    try:
        run(spec, ins, outs)
    except (LoadError, JobRuleError, StreamError) as e:
        hint = f"\n  hint: {e.hint}" if getattr(e, "hint", "") else ""
        sys.stderr.write(f"{job_name}: {e}{hint}\n")
        return 1
    except BrokenPipeError:
        # every consumer is gone: the worker stops us; nothing is lost that anyone wants
        return 0
    except Exception as e:
        sys.stderr.write(user_traceback(e))
        return 1
    return 0
