#!/usr/bin/env python3
"""Sends the same requests (the ones Driftdeck and kubectl send) to kubesim and to the real API
server and reports where the answers differ, after removing what always differs (uids, times,
resourceVersions, generated IPs). The findings feed tests/realkube/DIFFERENCES.md.

Run it where both servers are reachable, e.g. in the real control plane's network:
  tests/realkube/launch.sh exec --dir D -- tests/realkube/compare.py \
      --kubesim build/dev/app/kubesim --real-kubeconfig D/kubeconfig --out /tmp/differences.md
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

from compare_probes import PROBES

VOLATILE_KEYS = {"uid", "creationTimestamp", "resourceVersion", "time", "lastTransitionTime",
                 "lastUpdateTime", "lastHeartbeatTime", "lastProbeTime", "startTime", "startedAt",
                 "deletionTimestamp", "clusterIP", "clusterIPs", "podIP", "podIPs", "hostIP", "hostIPs",
                 "selfLink", "continue", "generateName", "ca.crt", "gitCommit", "buildDate", "goVersion",
                 "compiler", "platform", "gitTreeState", "gitVersion", "minor", "major", "serverAddress",
                 "emulationMajor", "emulationMinor", "minCompatibilityMajor", "minCompatibilityMinor"}
HASH_SUFFIX = re.compile(r"-[a-z0-9]{5,10}(-[a-z0-9]{5})?$")


def normalize(value, key=""):
    if isinstance(value, dict):
        return {k: ("<volatile>" if k in VOLATILE_KEYS else normalize(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalize(v, key) for v in value]
        # Lists of named things (resources, containers, conditions) compare by name, not position.
        for field in ("name", "type"):
            if items and all(isinstance(v, dict) and isinstance(v.get(field), str) for v in items):
                return {f"<{v[field]}>": v for v in items}
        return items
    if isinstance(value, str) and key in ("name", "podName", "pod-template-hash"):
        return HASH_SUFFIX.sub("-<hash>", value)
    return value


AGE = re.compile(r"\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b")


def ages(text):
    """Table output with the AGE column made comparable."""
    return AGE.sub("<age>", text.strip())


def events(stream):
    """(type, name or Status reason) of each event of a watch stream."""
    out = []
    decoder = json.JSONDecoder()
    text, i = stream.strip(), 0
    while i < len(text):
        event, end = decoder.raw_decode(text, i)
        obj = event.get("object", {})
        out.append((event.get("type"), obj.get("metadata", {}).get("name") or obj.get("reason")))
        i = end
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def flatten(value, prefix=""):
    """path -> leaf, so differences can be listed one per line."""
    out = {}
    if isinstance(value, dict):
        if not value:
            out[prefix or "."] = "{}"
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}"))
    elif isinstance(value, list):
        if not value:
            out[prefix or "."] = "[]"
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix or "."] = value
    return out


class Server:
    def __init__(self, kubeconfig, context_prefix):
        self.kubeconfig = kubeconfig
        self.viewer = context_prefix + "-viewer"

    def kubectl(self, args, stdin=None):
        args = [a.replace("@viewer", self.viewer) for a in args]
        run = subprocess.run(["kubectl", "--kubeconfig", self.kubeconfig] + args, input=stdin,
                             capture_output=True, text=True, timeout=90)
        return run.returncode, run.stdout, run.stderr


def compare_one(probe, sim, real):
    results = []
    for server in (sim, real):
        for setup in probe.get("setup", []):
            server.kubectl(setup["args"], setup.get("stdin"))
        if probe.get("wait"):
            wait_until(server, probe["wait"])
        results.append(server.kubectl(probe["args"], probe.get("stdin")))
    (sim_rc, sim_out, sim_err), (real_rc, real_out, real_err) = results
    lines = []
    if sim_rc != real_rc:
        lines.append(f"exit code: kubesim {sim_rc}, real {real_rc}")
    if probe.get("stderr") and sim_err.strip() != real_err.strip():
        lines.append(f"stderr:\n  kubesim: {sim_err.strip()}\n  real:    {real_err.strip()}")
    if probe.get("json"):
        try:
            a = flatten(normalize(json.loads(sim_out)))
            b = flatten(normalize(json.loads(real_out)))
        except json.JSONDecodeError:
            lines.append(f"output not JSON:\n  kubesim: {sim_out[:300]!r}\n  real:    {real_out[:300]!r}")
            return lines
        keep = probe.get("only")
        for path in sorted(set(a) | set(b)):
            if keep and not any(path.startswith(k) for k in keep):
                continue
            if path not in a:
                lines.append(f"{path}: only real = {b[path]!r}")
            elif path not in b:
                lines.append(f"{path}: only kubesim = {a[path]!r}")
            elif a[path] != b[path]:
                lines.append(f"{path}: kubesim {a[path]!r}, real {b[path]!r}")
    elif probe.get("events"):
        a, b = events(sim_out), events(real_out)
        if a != b:
            lines.append(f"watch events:\n  kubesim: {a}\n  real:    {b}")
    elif probe.get("text") and ages(sim_out) != ages(real_out):
        lines.append(f"stdout:\n  kubesim: {sim_out.strip()!r}\n  real:    {real_out.strip()!r}")
    return lines


def wait_until(server, check):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rc, out, _ = server.kubectl(check["args"])
        if rc == 0 and check["until"] in out:
            return
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubesim", required=True, help="the kubesim executable")
    parser.add_argument("--real-kubeconfig", required=True)
    parser.add_argument("--out", required=True)
    opts = parser.parse_args()
    work = tempfile.mkdtemp(prefix="driftdeck-compare.")
    sim_config = os.path.join(work, "kubeconfig")
    sim = subprocess.Popen([opts.kubesim, "--kubeconfig-out", sim_config, "--cluster-names", "kubesim"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(sim_config) and time.monotonic() < deadline:
            time.sleep(0.1)
        simulated = Server(sim_config, "kubesim")
        real = Server(opts.real_kubeconfig, "realkube")
        report = []
        for probe in PROBES:
            lines = compare_one(probe, simulated, real)
            report.append(f"## {probe['name']}\n`kubectl {' '.join(probe['args'])}`\n")
            report.append("\n".join(f"- {line}" for line in lines) if lines else "- same")
            report.append("")
        with open(opts.out, "w") as f:
            f.write("\n".join(report) + "\n")
        print(f"wrote {opts.out}: {sum(1 for p in report if p == '- same')} of {len(PROBES)} probes agree")
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
