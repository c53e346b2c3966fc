#!/usr/bin/python3
"""Executes one notebook headless with nbclient and reports the outcome as JSON.

Called by scripts/run-notebooks.js (one process per notebook). Why a Python helper: nbclient
is the reference executor (it is what nbconvert uses), it can set the kernel's working
directory, and it lets us see which cell failed; `jupyter nbconvert --execute` hides the error
text (tslab writes it to the cell's stderr and nbconvert prints an empty message).

The executed notebook is written to a temporary file next to --output and renamed into place,
so a crash never leaves a half-written copy. On failure nothing is written to --output (a stale
copy from an earlier run is removed); the partly executed notebook goes to --failed-output.

Exit status: 0 success, 1 a cell failed or the kernel died, 2 bad usage or missing Jupyter.
"""
import argparse
import json
import math
import os
import re
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text):
    return ANSI.sub("", text)


def atomic_write_notebook(nbformat, nb, path):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, ".%s.tmp-%d" % (os.path.basename(path), os.getpid()))
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            nbformat.write(nb, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def cell_text(outputs, stream_name):
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == stream_name:
            parts.append(out.get("text", ""))
    return "".join(parts)


def error_text(outputs):
    parts = []
    for out in outputs:
        if out.get("output_type") == "error":
            traceback = out.get("traceback") or []
            parts.append(strip_ansi("\n".join(traceback)) or "%s: %s" % (out.get("ename"), out.get("evalue")))
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--failed-output", required=True)
    parser.add_argument("--result", required=True, help="where to write the JSON outcome")
    parser.add_argument("--cwd", required=True, help="the kernel's working directory")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--cell-timeout", type=float, default=1200.0, help="seconds per cell")
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="seconds for the kernel to start")
    args = parser.parse_args()

    def write_result(result):
        with open(args.result, "w", encoding="utf-8") as handle:
            json.dump(result, handle)

    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    except ImportError as error:
        write_result({"ok": False, "stage": "import", "message": "Jupyter's nbclient is not importable by %s: %s" % (sys.executable, error)})
        return 2

    nb = nbformat.read(args.input, as_version=4)
    state = {"current": None, "started": {}, "durations": {}}

    def on_cell_start(cell, cell_index):
        state["current"] = cell_index
        state["started"][cell_index] = time.monotonic()

    def on_cell_executed(cell, cell_index, execute_reply):
        began = state["started"].get(cell_index)
        if began is not None:
            state["durations"][cell_index] = time.monotonic() - began
        sys.stdout.write("    cell %d done in %.1f s\n" % (cell_index + 1, state["durations"].get(cell_index, 0.0)))
        sys.stdout.flush()

    client = NotebookClient(
        nb,
        timeout=int(math.ceil(args.cell_timeout)),  # traitlets wants an int
        startup_timeout=int(math.ceil(args.startup_timeout)),
        kernel_name=args.kernel,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": args.cwd}},
    )
    client.on_cell_start = on_cell_start
    client.on_cell_executed = on_cell_executed

    began = time.monotonic()
    failure = None
    try:
        client.execute()
    except CellTimeoutError as error:
        failure = ("timeout", "cell exceeded the timeout of %g s: %s" % (args.cell_timeout, strip_ansi(str(error)).strip()))
    except DeadKernelError as error:
        failure = ("dead-kernel", "the kernel died: %s" % strip_ansi(str(error)).strip())
    except CellExecutionError as error:
        failure = ("cell-error", strip_ansi(str(error)).strip())
    except Exception as error:  # kernel missing, startup timeout, ...
        failure = ("kernel", "%s: %s" % (type(error).__name__, strip_ansi(str(error)).strip()))
    wall = time.monotonic() - began

    cell_seconds = [state["durations"].get(i) for i in range(len(nb.cells))]
    if failure is None:
        atomic_write_notebook(nbformat, nb, args.output)
        write_result({"ok": True, "seconds": wall, "cells": len(nb.cells), "cellSeconds": cell_seconds})
        return 0

    if os.path.exists(args.output):
        os.remove(args.output)  # a copy from an earlier run would look like this run's result
    atomic_write_notebook(nbformat, nb, args.failed_output)
    kind, message = failure
    result = {"ok": False, "stage": kind, "message": message, "seconds": wall, "cells": len(nb.cells), "cellSeconds": cell_seconds}
    index = state["current"]
    if index is not None and kind != "kernel":
        cell = nb.cells[index]
        outputs = cell.get("outputs", [])
        result["cell"] = {
            "index": index,
            "number": index + 1,
            "codeNumber": sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code"),
            "source": cell.source,
            "stderr": strip_ansi(cell_text(outputs, "stderr")),
            "stdout": strip_ansi(cell_text(outputs, "stdout")),
            "error": error_text(outputs),
        }
    write_result(result)
    return 1


if __name__ == "__main__":
    sys.exit(main())
