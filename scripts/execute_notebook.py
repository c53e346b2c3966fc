#!/usr/bin/python3
"""Executes one notebook headless with nbclient and reports the outcome as JSON.

Called by scripts/run-notebooks.js (one process per notebook). Why a Python helper: nbclient
is the reference executor (it is what nbconvert uses), it can set the kernel's working
directory, and it lets us see which cell failed; `jupyter nbconvert --execute` hides the error
text (tslab writes it to the cell's stderr and nbconvert prints an empty message).

A cell has no time limit as long as it shows progress: it is stopped only when the kernel sends
nothing for it (no output, no display update, no message) for --idle-timeout seconds. While a
cell runs, a line every --report-every seconds shows its elapsed time and its latest output line
(or how long it has been silent), so a long cell is visibly alive.

The kernel process's own stdout/stderr go to a file; when the kernel dies, its exit status and
the last lines it wrote are part of the result (an uncaught error or "out of memory" is there).

A kernel that exits or does not answer within --startup-timeout before the first cell is reported
as stage "kernel-start" (the runner then starts a new one). A thread watches for it, because
jupyter_client can block inside a send to a kernel that never opened its shell socket, and then
its own startup timeout never fires.

The executed notebook is written to a temporary file next to --output and renamed into place,
so a crash never leaves a half-written copy. On failure nothing is written to --output (a stale
copy from an earlier run is removed); the partly executed notebook goes to --failed-output.

Exit status: 0 success, 1 a cell failed, stalled or the kernel died, 2 bad usage or missing Jupyter.
"""
import argparse
import asyncio
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KERNEL_OUTPUT_TAIL_LINES = 60
KERNEL_OUTPUT_TAIL_CHARS = 12000
PROGRESS_LINE_CHARS = 160


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


def latest_line(msg):
    """The last non-empty line a kernel message shows (progress bars redraw with \\r), or None."""
    msg_type = msg.get("msg_type")
    content = msg.get("content", {})
    if msg_type == "stream":
        text = content.get("text", "")
    elif msg_type in ("display_data", "update_display_data", "execute_result"):
        text = content.get("data", {}).get("text/plain", "")
    elif msg_type == "error":
        text = "%s: %s" % (content.get("ename", ""), content.get("evalue", ""))
    else:
        return None
    if isinstance(text, list):
        text = "".join(text)
    for line in reversed(re.split(r"[\r\n]+", strip_ansi(text))):
        if line.strip():
            line = line.strip()
            return line if len(line) <= PROGRESS_LINE_CHARS else line[: PROGRESS_LINE_CHARS - 1] + "…"
    return None


def format_seconds(seconds):
    seconds = int(seconds)
    if seconds < 60:
        return "%d s" % seconds
    if seconds < 3600:
        return "%dm %02ds" % (seconds // 60, seconds % 60)
    return "%dh %02dm" % (seconds // 3600, (seconds % 3600) // 60)


def tail(path):
    """Last lines of the kernel's output file ('' when empty or missing)."""
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return ""
    lines = strip_ansi(text).rstrip().split("\n")
    text = "\n".join(lines[-KERNEL_OUTPUT_TAIL_LINES:])
    return text[-KERNEL_OUTPUT_TAIL_CHARS:].strip()


def headline(stderr, error, fallback):
    """One line naming a failed cell's error: the first 'SomethingError: ...' or compile-error line."""
    lines = [line.strip() for line in (error + "\n" + stderr).split("\n") if line.strip()]
    for line in lines:
        if re.search(r"(^|\s)([\w$.]*Error|UncaughtException|UnhandledPromiseRejection)( \[\w+\])?: ", line) or re.match(r"^\d+:\d+ - ", line):
            return line[:300]
    return lines[-1][:300] if lines else fallback


def describe_exit(returncode):
    """Plain words for a dead kernel's exit status, or None while it runs / when unknown."""
    if returncode is None:
        return None
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "signal %d" % -returncode
        hint = {
            "SIGKILL": "; the usual cause is the system running out of memory (the OOM killer: see `dmesg`)",
            "SIGABRT": "; Node aborts like this when its heap is exhausted (see the kernel's output)",
            "SIGSEGV": "; a crash in native code",
        }.get(name, "")
        return "killed by %s%s" % (name, hint)
    return "exited with code %d" % returncode


class Tracker:
    """What the current cell has shown, for the progress lines and the no-progress limit."""

    def __init__(self):
        self.index = None
        self.started = None
        self.last_activity = None
        self.last_line = None
        self.reported_line = None
        self.last_report = None
        self.running = False
        self.stalled = None
        self.durations = {}

    def start(self, index):
        now = time.monotonic()
        self.index, self.started, self.last_activity, self.last_report = index, now, now, now
        self.last_line = self.reported_line = None
        self.running = True

    def activity(self, msg):
        self.last_activity = time.monotonic()
        line = latest_line(msg)
        if line is not None:
            self.last_line = line


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--failed-output", required=True)
    parser.add_argument("--result", required=True, help="where to write the JSON outcome")
    parser.add_argument("--cwd", required=True, help="the kernel's working directory")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--idle-timeout", type=float, default=1800.0, help="seconds a cell may show no progress (0: no limit)")
    parser.add_argument("--report-every", type=float, default=15.0, help="seconds between 'still running' lines")
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

    def say(line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    nb = nbformat.read(args.input, as_version=4)
    tracker = Tracker()

    class ProgressClient(NotebookClient):
        """NotebookClient that notes every message of the running cell and keeps the kernel process."""

        kernel_process = None

        def process_message(self, msg, cell, cell_index):
            tracker.activity(msg)
            return super().process_message(msg, cell, cell_index)

        async def async_start_new_kernel(self, **kwargs):
            await super().async_start_new_kernel(**kwargs)
            provisioner = getattr(self.km, "provisioner", None)
            self.kernel_process = getattr(provisioner, "process", None)

    kernel_ready = threading.Event()

    def on_notebook_start(notebook):
        kernel_ready.set()

    def on_cell_start(cell, cell_index):
        tracker.start(cell_index)
        if cell.cell_type != "code" or not cell.source.strip():
            tracker.running = False

    def on_cell_executed(cell, cell_index, execute_reply):
        tracker.running = False
        tracker.durations[cell_index] = time.monotonic() - tracker.started
        failed = (execute_reply or {}).get("content", {}).get("status") == "error"
        say("    cell %d %s %.1f s" % (cell_index + 1, "FAILED after" if failed else "done in", tracker.durations[cell_index]))

    client = ProgressClient(
        nb,
        timeout=None,  # no fixed limit per cell: the watchdog below stops a cell that shows no progress
        startup_timeout=int(args.startup_timeout + 0.999),
        kernel_name=args.kernel,
        allow_errors=False,
        record_timing=True,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": args.cwd}},
    )
    def on_cell_error(cell, cell_index, execute_reply):
        tracker.running = False

    client.on_notebook_start = on_notebook_start
    client.on_cell_start = on_cell_start
    client.on_cell_executed = on_cell_executed
    client.on_cell_error = on_cell_error

    def kill_kernel():
        process = client.kernel_process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(os.getpgid(process.pid), signal.SIGKILL)  # the kernel and what it started (Chromium)
        except OSError:
            process.kill()

    async def watchdog():
        while True:
            await asyncio.sleep(0.25)
            if not tracker.running:
                continue
            now = time.monotonic()
            silent = now - tracker.last_activity
            if args.idle_timeout > 0 and silent >= args.idle_timeout:
                tracker.stalled = {"silentSeconds": silent, "elapsedSeconds": now - tracker.started}
                say("    cell %d: nothing from the kernel for %s (limit %s): stopping it" % (tracker.index + 1, format_seconds(silent), format_seconds(args.idle_timeout)))
                kill_kernel()
                return
            if now - tracker.last_report >= args.report_every:
                tracker.last_report = now
                if tracker.last_line is not None and tracker.last_line != tracker.reported_line:
                    tracker.reported_line = tracker.last_line
                    detail = tracker.last_line
                else:
                    detail = "no new output for %s" % format_seconds(silent)
                say("    cell %d running %s │ %s" % (tracker.index + 1, format_seconds(now - tracker.started), detail))

    kernel_output = tempfile.NamedTemporaryFile(prefix="grokfss-kernel-", suffix=".log", delete=False)
    began = time.monotonic()

    # Whoever reports first (this thread or the main one) holds it; the other stands down.
    finishing = threading.Lock()
    main_finished = []

    def startup_guard():
        """Until the kernel answers: report and end this process if it exits or stays silent."""
        while not kernel_ready.wait(0.25):
            process = client.kernel_process
            exit_text = describe_exit(process.poll()) if process is not None else None
            waited = time.monotonic() - began
            if exit_text is None and waited < args.startup_timeout:
                continue
            finishing.acquire()
            if main_finished:
                return
            kill_kernel()
            reason = "the kernel %s before it answered" % exit_text if exit_text else "the kernel did not answer within %g s" % args.startup_timeout
            write_result({"ok": False, "stage": "kernel-start", "message": reason, "seconds": waited, "cells": len(nb.cells), "cellSeconds": [None] * len(nb.cells), "kernelStderr": tail(kernel_output.name), "kernelExit": exit_text})
            try:
                os.remove(kernel_output.name)
            except OSError:
                pass
            os._exit(1)  # the main thread may be stuck inside jupyter_client

    threading.Thread(target=startup_guard, daemon=True).start()

    async def execute():
        guard = asyncio.ensure_future(watchdog())
        try:
            await client.async_execute(stdout=kernel_output, stderr=kernel_output)
        finally:
            guard.cancel()

    failure = None
    try:
        asyncio.run(execute())
    except CellTimeoutError as error:
        failure = ("timeout", strip_ansi(str(error)).strip())
    except DeadKernelError as error:
        if tracker.stalled:
            failure = ("no-progress", "cell %d showed no progress (no output, no message from the kernel) for %s, after running %s; the kernel was stopped. Raise GROKFSS_CELL_IDLE_TIMEOUT (now %g s) if this cell legitimately works in silence that long, or make it print progress." % (tracker.index + 1, format_seconds(tracker.stalled["silentSeconds"]), format_seconds(tracker.stalled["elapsedSeconds"]), args.idle_timeout))
        else:
            failure = ("dead-kernel", "the kernel died: %s" % strip_ansi(str(error)).strip())
    except CellExecutionError as error:
        failure = ("cell-error", strip_ansi(str(error)).strip())
    except Exception as error:  # kernel missing, startup timeout, ...
        failure = ("kernel", "%s: %s" % (type(error).__name__, strip_ansi(str(error)).strip()))
    finally:
        with finishing:
            main_finished.append(True)
        kernel_output.close()
    if failure is not None and not kernel_ready.is_set():
        # jupyter_client noticed first that the kernel never answered: same report as the guard's.
        process = client.kernel_process
        exit_text = describe_exit(process.poll()) if process is not None else None
        failure = ("kernel-start", "the kernel %s before it answered" % exit_text if exit_text else "the kernel did not start: %s" % failure[1])
    wall = time.monotonic() - began
    kernel_stderr = tail(kernel_output.name)
    os.remove(kernel_output.name)

    cell_seconds = [tracker.durations.get(i) for i in range(len(nb.cells))]
    if failure is None:
        atomic_write_notebook(nbformat, nb, args.output)
        write_result({"ok": True, "seconds": wall, "cells": len(nb.cells), "cellSeconds": cell_seconds})
        return 0

    if os.path.exists(args.output):
        os.remove(args.output)  # a copy from an earlier run would look like this run's result
    atomic_write_notebook(nbformat, nb, args.failed_output)
    kind, message = failure
    process = client.kernel_process
    exit_text = describe_exit(process.poll()) if process is not None else None
    if kind == "dead-kernel" and exit_text:
        message = "the kernel died: %s" % exit_text
    result = {"ok": False, "stage": kind, "message": message, "seconds": wall, "cells": len(nb.cells), "cellSeconds": cell_seconds, "kernelStderr": kernel_stderr, "kernelExit": exit_text}
    index = tracker.index
    if index is not None and kind not in ("kernel", "kernel-start"):
        cell = nb.cells[index]
        outputs = cell.get("outputs", [])
        if kind == "cell-error":
            result["message"] = "cell %d failed: %s" % (index + 1, headline(strip_ansi(cell_text(outputs, "stderr")), error_text(outputs), message))
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
