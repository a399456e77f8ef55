#!/usr/bin/env python3
"""The explorer comes with every program built on agree::cli::main: start
`token explore token --procs 3 --port 0`, ask it for the model and the initial
state over HTTP, stop it with SIGINT (exit 0).

    explore_test.py TOKEN_BINARY
"""
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request

proc = subprocess.Popen([sys.argv[1], "explore", "token", "--procs", "3", "--port", "0"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    url = None
    deadline = time.time() + 20
    while url is None and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:\d+)/#0", line)
        if m:
            url = m.group(1)
    assert url, "no URL printed"
    model = json.load(urllib.request.urlopen(url + "/api/model", timeout=10))
    assert model["protocol"] == "token", model
    assert model["parameters"].startswith("procs=3"), model
    state = json.load(urllib.request.urlopen(url + "/api/state?path=0", timeout=10))
    assert len(state["steps"]) == 1, state  # the initial state alone
    assert state["choices"], "the ring's initial state enables an action"
    for p in state["properties"]:
        assert p["status"] in ("holds", "unjudged", "reached", "unreached"), p
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=10)
    assert code == 0, "exit %d after SIGINT" % code
    print("explore_test: token explore served the model and its initial state, then stopped")
finally:
    if proc.poll() is None:
        proc.kill()
