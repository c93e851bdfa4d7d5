"""A minimal Language Server Protocol client over stdio, shared by drain's editor tests
(test/tools/Inputs/lsp_check.py, clangd_parity.py) and the typing benchmark
(bench/editor/typing.py).

    srv = Server([clangd, ...], cwd, env, "clangd.log")
    srv.request("initialize", {...}, timeout)
    srv.notify("initialized", {})
    m = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout,
                 "diagnostics")

Messages are read on a thread. Requests the server sends to the client
(window/workDoneProgress/create, ...) are answered with a null result. A wait that runs out of
time raises Timeout; a server that closes its output raises Closed. Both are LspError, whose
text names what was awaited and the server's log.
"""
import json
import os
import queue
import subprocess
import threading
import time


class LspError(Exception):
    pass


class Timeout(LspError):
    pass


class Closed(LspError):
    pass


def uri(path):
    return "file://" + os.path.abspath(path)


class Server:
    """A language server started as a process, spoken to over its stdin and stdout; its stderr
    goes to log_path."""

    def __init__(self, cmd, cwd, env, log_path):
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log)
        self.msgs = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.msgs.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.decode("ascii").partition(":")
                headers[k.strip().lower()] = v.strip()
            self.msgs.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, msg):
        """Writes one message; a server that already exited is left to the next wait."""
        msg["jsonrpc"] = "2.0"
        data = json.dumps(msg).encode("utf-8")
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def next(self, timeout, what):
        """The next message that is not a request from the server (those are answered)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout("no %s within %d s (server log: %s)"
                              % (what, timeout, self.log.name))
            try:
                m = self.msgs.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise Closed("the server closed its output (exit %s) while waiting for %s; "
                             "log: %s" % (self.proc.poll(), what, self.log.name))
            if "method" in m and "id" in m:
                self.send({"id": m["id"], "result": None})
                continue
            return m

    def wait(self, pred, timeout, what):
        """The first message for which pred is true, within timeout seconds in all."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.next(max(deadline - time.monotonic(), 0), what)
            if pred(m):
                return m

    def request(self, method, params, timeout):
        rid = self.next_id
        self.next_id += 1
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout,
                         "the reply to " + method)

    def diagnostics(self, file_uri, version, timeout):
        """The diagnostics the server publishes for file_uri at version."""
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == file_uri
                      and m["params"].get("version") == version,
                      timeout, "publishDiagnostics for version %d" % version)
        return m["params"]["diagnostics"]
