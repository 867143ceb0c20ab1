#!/usr/bin/env python3
"""Time from saving one article to the preview server's reload message.

Used by bench/run.sh. Starts the server, waits until it serves, then edits
one article several times (appending a sentence, so the page really
changes) and measures, for each save, the wall time until:

- trellis: the `reload` event on `/__trellis/events` (server-sent events),
  the message that makes open tabs reload; when the save was applied as a
  quick edit, the script then also waits for the server's `up to date in N
  ms` line (the print page, search index and glossary brought up to date
  after the reload) and reports that time too, before the next save;
- hugo: the `Total in N ms` line `hugo server` prints after rebuilding (it
  sends its live-reload message over a websocket at that point).

Prints one line per kind: `serve <kind> edit-to-reload ms: <median> (runs: ...)`
plus the server's own figure for its rebuild. The article is restored
afterwards. Standard library only.
"""

import argparse
import http.client
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time


def reader(stream, lines):
    """Puts (time, line) of every line of `stream` into `lines`."""
    for raw in iter(stream.readline, b""):
        lines.put((time.perf_counter(), raw.decode("utf-8", "replace").rstrip("\n")))
    lines.put((time.perf_counter(), None))


def wait_line(lines, pattern, timeout, echo=False):
    """The first (time, match) whose line matches `pattern`."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no line matching {pattern!r} within {timeout} s")
        t, line = lines.get(timeout=left)
        if line is None:
            raise RuntimeError("the server stopped")
        if echo:
            print(f"    | {line}", file=sys.stderr)
        m = re.search(pattern, line)
        if m:
            return t, m


def drain(lines):
    while True:
        try:
            lines.get_nowait()
        except queue.Empty:
            return


class Events:
    """A reader of /__trellis/events that records (time, event, data)."""

    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port, timeout=600)
        self.conn.request("GET", "/__trellis/events", headers={"Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        self.events = queue.Queue()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        event, data = None, []
        for raw in iter(self.resp.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "":
                if event or data:
                    self.events.put((time.perf_counter(), event, "\n".join(data)))
                event, data = None, []

    def next(self, timeout):
        return self.events.get(timeout=timeout)

    def drain(self):
        while True:
            try:
                self.events.get_nowait()
            except queue.Empty:
                return


def stop(proc):
    """Stops a server as Ctrl-C would, killing it if it does not go."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def edit(path, original, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write(original + f"\n\nEdited for the benchmark, save number {n}.\n")


def run_trellis(args, path, original):
    cmd = [args.trellis, "serve", "--root", args.root, "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        _, m = wait_line(lines, r"Serving .* at http://([^/:]+):(\d+)/", args.timeout, args.verbose)
        host, port = m.group(1), int(m.group(2))
        events = Events(host, port)
        _, kind, _ = events.next(args.timeout)
        assert kind == "hello", kind
        time.sleep(0.5)
        took, server, caught_up = [], [], []
        for n in range(args.runs):
            drain(lines)
            events.drain()
            start = time.perf_counter()
            edit(path, original, n)
            while True:
                t, kind, data = events.next(args.timeout)
                if kind == "reload":
                    break
                if kind == "build-error":
                    raise RuntimeError(f"build error: {data}")
            took.append((t - start) * 1000)
            _, m = wait_line(lines, r"rebuilt in (\d+) ms.*", args.timeout, args.verbose)
            server.append(int(m.group(1)))
            if "follow" in m.group(0):
                _, m = wait_line(lines, r"up to date in (\d+) ms", args.timeout, args.verbose)
                caught_up.append(int(m.group(1)))
            time.sleep(args.pause)
        what = "rebuild as the server reports it"
        after = ""
        if caught_up:
            after = (f"; {len(caught_up)} of {args.runs} saves applied as quick edits, then the "
                     f"print page, search and glossary up to date in {statistics.median(caught_up):.0f} ms")
        return took, server, what, after
    finally:
        stop(proc)


def run_hugo(args, path, original):
    cmd = [args.hugo, "server", "--source", args.root, "--port", str(args.port),
           "--bind", "127.0.0.1", "--disableFastRender=false"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        wait_line(lines, r"Web Server is available", args.timeout, args.verbose)
        time.sleep(0.5)
        took, server = [], []
        for n in range(args.runs):
            drain(lines)
            start = time.perf_counter()
            edit(path, original, n)
            t, m = wait_line(lines, r"Total in (\d+) ms", args.timeout, args.verbose)
            took.append((t - start) * 1000)
            server.append(int(m.group(1)))
            time.sleep(args.pause)
        return took, server, "rebuild as hugo reports it", ""
    finally:
        stop(proc)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kind", choices=["trellis", "hugo"], required=True)
    p.add_argument("--root", required=True, help="the handbook (trellis) or Hugo site")
    p.add_argument("--article", required=True, help="the file to edit, relative to --root")
    p.add_argument("--trellis", default="trellis")
    p.add_argument("--hugo", default="hugo")
    p.add_argument("--port", type=int, default=1313, help="hugo only")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--pause", type=float, default=1.0, help="seconds between saves")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    path = os.path.join(args.root, args.article)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    try:
        run = run_trellis if args.kind == "trellis" else run_hugo
        took, server, what, after = run(args, path, original)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    runs = " ".join(f"{t:.0f}" for t in took)
    print(f"serve {args.kind} edit-to-reload ms: {statistics.median(took):.0f} (runs: {runs}); "
          f"{what}: {statistics.median(server):.0f} ms{after}")


if __name__ == "__main__":
    main()
