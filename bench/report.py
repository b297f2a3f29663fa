#!/usr/bin/env python3
"""Turns bench/results/*.json into RESULTS.md and the growth plot: report.py RESULTS_DIR OUT.md OUT.png
Targets are reported (met / missed), never asserted. bench/profile-notes.md, when present, is
appended as the profile section (it is written by hand after a profile run)."""
import glob
import json
import math
import os
import sys

SIZES = ["1k", "5k", "20k", "50k"]
GROWTH = (("CLI cold status", "cli", "cold_complete_status_ms"), ("CLI peak RSS", "cli", "peak_rss_mb"),
          ("CLI re-compare after a one-file commit", "cli", "recompare_after_one_file_commit_ms"),
          ("GUI cold status shown", "gui", "cold_complete_status_shown_ms"), ("GUI peak RSS", "gui", "peak_rss_mb"),
          ("GUI full refresh", "gui", "full_refresh_shown_ms"))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def span(results):
    import datetime
    times = [os.path.getmtime(p) for p in glob.glob(os.path.join(results, "*.json"))]
    if not times:
        return "?"
    f = lambda t: datetime.datetime.utcfromtimestamp(t).strftime("%H:%M")
    return f"{f(min(times))} and {f(max(times))} UTC"


def fmt(value, unit="", digits=0):
    if value is None:
        return "—"
    if isinstance(value, float):
        value = round(value, digits) if digits else int(round(value))
    return f"{value:,}{unit}" if isinstance(value, int) else f"{value}{unit}"


def verdict(value, limit, at_most=True):
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    return "**met**" if ok else "**missed**"


def micro_rows(results):
    rows = []
    for path in sorted(glob.glob(os.path.join(results, "micro-*.json"))):
        data = load(path) or {}
        for b in data.get("benchmarks", []):
            rate = ""
            if "bytes_per_second" in b:
                rate = f"{b['bytes_per_second'] / 1e6:.1f} MB/s"
            elif "items_per_second" in b:
                rate = f"{b['items_per_second']:,.0f} objects/s ({1e6 / b['items_per_second']:.1f} µs each)"
            elif "applies_per_second" in b:
                rate = f"{b['applies_per_second']:,.0f} applies/s"
            rows.append(f"| `{b['name']}` | {b['real_time']:.2f} {b['time_unit']} | {b['cpu_time']:.2f} {b['time_unit']} | {rate} |")
    return rows


def exponent(points):
    """Slope of log(value) over log(objects) between the smallest and largest measured size."""
    points = [(n, v) for n, v in points if v]
    if len(points) < 2:
        return None
    (n0, v0), (n1, v1) = points[0], points[-1]
    return math.log(v1 / v0) / math.log(n1 / n0)


def plot(fleet, png):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (apt-get install python3-matplotlib): no plot."
    series_time = [("CLI engine: cold complete status", "cli", "cold_complete_status_ms"),
                   ("GUI: cold complete status shown", "gui", "cold_complete_status_shown_ms"),
                   ("CLI: re-compare after one-file commit", "cli", "recompare_after_one_file_commit_ms"),
                   ("GUI: full refresh shown", "gui", "full_refresh_shown_ms")]
    series_rss = [("CLI engine peak RSS", "cli", "peak_rss_mb"), ("GUI peak RSS", "gui", "peak_rss_mb"),
                  ("kubesim process peak RSS", "cli", "cluster_process_peak_rss_mb")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for ax, series, ylabel in ((left, series_time, "seconds"), (right, series_rss, "MB")):
        for label, mode, key in series:
            pts = [(f[mode]["objects"], f[mode].get(key)) for f in fleet if f.get(mode)]
            pts = [(n, v / 1000 if ylabel == "seconds" else v) for n, v in pts if v is not None]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        ax.set_xlabel("managed objects")
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    left.set_title("Time vs objects")
    right.set_title("Peak RSS vs objects")
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    return None


REALKUBE_ROWS = (("Cold complete status", "cold_complete_status_ms", " ms"),
                 ("Re-compare after 1-file commit", "recompare_after_one_file_commit_ms", " ms"),
                 ("Re-compare of the whole fleet after that commit", "recompare_whole_fleet_after_commit_ms", " ms"),
                 ("Live edit → OutOfSync", "live_edit_to_out_of_sync_ms", " ms"),
                 ("Sync throughput", "sync_objects_per_s", " objects/s"),
                 ("Objects synced (in ms)", None, ""),
                 ("Process peak RSS", "peak_rss_mb", " MB"),
                 ("RSS before the engine started (realkube: after seeding)", "rss_before_engine_mb", " MB"),
                 ("Applications Synced after the cold start", None, ""))


def realkube_fleet_section(results, fleet):
    """The 1k fleet measured on a real control plane, beside the kubesim 1k figures."""
    lines = ["## Fleet on the real control plane", ""]
    real = load(os.path.join(results, "fleet-1k-realkube.json"))
    if not real:
        return lines + ["Not measured in this run (bench/run.sh runs it when tests/realkube/build.sh has built the "
                        "control plane: `tests/realkube/launch.sh run --name bench --nodes 6 -- bench_fleet --backend "
                        "realkube --apps 25 --resources 40`).", ""]
    if real.get("error"):
        return lines + [f"Error: {real['error']}", ""]
    sim = next((f["cli"] for f in fleet if f["size"] == "1k"), {})

    def cell(data, key, unit):
        if key is None:
            return "—"
        return fmt(data.get(key), unit)

    def synced(data):
        if not data:
            return "—"
        return f"{data.get('apps_synced', '?')} of {data.get('clusters', 0) * data.get('apps_per_cluster', 0)}"

    def synced_apps(data):
        if not data.get("sync_objects") or not data.get("resources_per_app"):
            return "—"
        return fmt(data["sync_objects"] // data["resources_per_app"])

    def sync_count(data):
        return f"{fmt(data.get('sync_objects'))} in {fmt(data.get('sync_ms'), ' ms')}" if data.get("sync_objects") else "—"

    lines += [f"The CLI engine against one real server ({real.get('server_version', '?')}: etcd, kube-apiserver, "
              "controller-manager, scheduler, kwok making Pods Ready), the same measurements as the kubesim fleet. "
              f"One cluster of {fmt(real.get('apps_per_cluster'))} applications × {fmt(real.get('resources_per_app'))} "
              f"resources ({fmt(real.get('objects'))} objects), seeded over the API as a Driftdeck sync leaves it "
              f"(server-side apply by \"driftdeck\" with the tracking annotation; {fmt(real.get('seed_apply_s'), ' s', 1)}), "
              f"then {fmt(real.get('seed_deployments_available'))} of {fmt(real.get('seed_deployments'))} Deployments rolled out "
              f"({fmt(real.get('seed_rollout_s'), ' s', 1)}) before the measurement. The sync phase syncs up to 10 applications "
              f"of the first cluster: {synced_apps(real)} here, {synced_apps(sim)} in the kubesim fleet (5 clusters × 5 "
              "applications), so the throughputs are of different batch sizes; the engine's client sends at most 50 "
              "requests/s after a burst of 300 (kubectl's defaults), which bounds a sync of more than 300 objects.", "",
              "| Figure | Real control plane | kubesim |", "|---|---|---|"]
    for label, key, unit in REALKUBE_ROWS:
        if label.startswith("Objects synced"):
            lines.append(f"| {label} | {sync_count(real)} | {sync_count(sim)} |")
        elif label.startswith("Applications Synced"):
            lines.append(f"| {label} | {synced(real)} | {synced(sim)} |")
        else:
            lines.append(f"| {label} | {cell(real, key, unit)} | {cell(sim, key, unit)} |")
    return lines + [""]


def main():
    results, out_md, out_png = sys.argv[1:4]
    machine = load(os.path.join(results, "machine.json")) or {}
    fleet = []
    for size in SIZES:
        cli, gui = (load(os.path.join(results, f"fleet-{size}-{m}.json")) for m in ("cli", "gui"))
        if cli or gui:
            fleet.append({"size": size, "cli": cli or {}, "gui": gui or {}})
    kubectl = load(os.path.join(results, "kubectl.json")) or {}
    lines = ["# Driftdeck benchmark results", "",
             "Generated by `bench/run.sh` (raw figures in `bench/results/`). Targets are reported, not asserted.", "",
             "## Machine", "",
             f"- Date: {machine.get('date', '?')}; commit `{machine.get('commit', '?')}`",
             f"- CPU: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores visible; memory {machine.get('memory_gb', '?')} GB; kernel {machine.get('kernel', '?')}",
             f"- Load average when the run began: {machine.get('load_average_at_start', '?')} (the machine is shared; figures are noisy)",
             f"- Fleet and comparison figures written between {span(results)} (runs of `bench/run.sh`; a size or mode re-run later replaces its file)",
             f"- Build: preset `{machine.get('preset', '?')}`, CMAKE_BUILD_TYPE {machine.get('build_type', '?')}", ""]

    lines += ["## Micro benchmarks (Google Benchmark)", "",
              "| Benchmark | Wall | CPU | Rate |", "|---|---|---|---|"] + (micro_rows(results) or ["| not run | | | |"]) + [""]

    lines += ["## Fleet", "",
              "K kubesim clusters in a child process (seeded through their stores: every object as a Driftdeck "
              "server-side apply leaves it, tracking annotation included; controllers off, Deployments carry a "
              "Healthy status), A applications × R resources (Deployment, Service, ConfigMap, Secret in turn) in "
              "one Git repository (one file per object). The engine does real HTTPS list/watch against kubesim "
              "and fetches the repository over file://.", "",
              "| Objects | Clusters×apps×resources | Cold status (CLI engine) | Re-compare after 1-file commit | Live edit → OutOfSync | Sync throughput | CLI peak RSS | GUI cold status shown | GUI full refresh | Longest UI stall (cold / full refresh) | GUI peak RSS | kubesim RSS |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for f in fleet:
        c, g = f["cli"], f["gui"]
        shape = f"{c.get('clusters', g.get('clusters', '?'))}×{c.get('apps_per_cluster', g.get('apps_per_cluster', '?'))}×{c.get('resources_per_app', g.get('resources_per_app', '?'))}"
        sync = (f"{fmt(c.get('sync_objects_per_s'))} objects/s ({fmt(c.get('sync_objects'))} in {fmt(c.get('sync_ms'))} ms)"
                if c.get("sync_objects_per_s") else "—")
        stall = f"{fmt(g.get('longest_ui_stall_cold_ms'), ' ms', 1)} / {fmt(g.get('longest_ui_stall_full_refresh_ms'), ' ms', 1)}"
        lines.append(f"| {fmt(c.get('objects', g.get('objects')))} | {shape} | {fmt(c.get('cold_complete_status_ms'), ' ms')} "
                     f"| {fmt(c.get('recompare_after_one_file_commit_ms'), ' ms')}" + (f" (whole fleet {fmt(c.get('recompare_whole_fleet_after_commit_ms'), ' ms')})" if c.get('recompare_whole_fleet_after_commit_ms') else "") + f" | {fmt(c.get('live_edit_to_out_of_sync_ms'), ' ms')} "
                     f"| {sync} | {fmt(c.get('peak_rss_mb'), ' MB')} | {fmt(g.get('cold_complete_status_shown_ms'), ' ms')} "
                     f"| {fmt(g.get('full_refresh_shown_ms'), ' ms')} | {stall} | {fmt(g.get('peak_rss_mb'), ' MB')} "
                     f"| {fmt(c.get('cluster_process_peak_rss_mb'), ' MB')} |")
        for mode in ("cli", "gui"):
            if f[mode].get("error"):
                lines.append(f"| | {f['size']} {mode}: error: {f[mode]['error']} | | | | | | | | | | |")
    lines += ["", "Applications Synced after the cold start (CLI): " +
              ", ".join(f"{f['size']}: {f['cli'].get('apps_synced', '?')} of {f['cli'].get('clusters', 0) * f['cli'].get('apps_per_cluster', 0)}" for f in fleet), ""]
    note = plot(fleet, out_png)
    lines += ["![growth](growth.png)" if note is None else note, ""]

    lines += ["### Growth", "",
              "Exponent b of value ∝ objects^b for each step between measured sizes (1 = linear; the 1k and 5k "
              "fleets have 5 clusters, 20k and 50k have 10).", ""]
    steps = [(a, b) for a, b in zip(fleet, fleet[1:])]
    lines += ["| Figure | " + " | ".join(f"{a['size']} → {b['size']}" for a, b in steps) + " |",
              "|---|" + "---|" * len(steps)]
    for label, mode, key in GROWTH:
        cells = [fmt(exponent([(f[mode].get("objects"), f[mode].get(key)) for f in pair]), "", 2) for pair in steps]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")

    lines += realkube_fleet_section(results, fleet)

    real = load(os.path.join(results, "kubectl-realkube.json")) or {}
    for title, data, backend_note in (
            ("same kubesim server", kubectl,
             "the kubesim controllers make Pods Ready after 1 s"),
            ("same real control plane: etcd, kube-apiserver, controller-manager, scheduler, kwok", real,
             "kwok marks Pods Ready")):
        lines += [f"## Side by side with kubectl ({title}, same manifests)", ""]
        if not data:
            lines += ["Not measured in this run (bench/kubectl-compare/compare.sh BUILD 500 "
                      + ("realkube" if data is real else "kubesim") + ").", ""]
            continue
        if data.get("error"):
            lines += [f"Error: {data['error']}", ""]
            continue
        lines += [f"{data.get('objects', '?')} objects; {data.get('edited_configmaps', '?')} ConfigMaps edited by hand in the diff namespace "
                  f"(kubectl reported {data.get('kubectl_diff_objects_reported', '?')} differing objects). Diff: warm (one untimed run each), then the median of three runs. "
                  "Sync: into fresh namespaces after a warm-up run of each. Each is a whole process run (start, connect, discover, work, exit).", "",
                  "| Operation | kubectl | driftdeck-cli | Ratio (kubectl / driftdeck) |", "|---|---|---|---|",
                  f"| diff (`kubectl diff --server-side -f`) | {fmt(data.get('kubectl_diff_ms'), ' ms')} | {fmt(data.get('driftdeck_diff_ms'), ' ms')} | {data.get('diff_speedup', '—')}× |",
                  f"| sync (`kubectl apply --server-side -f`) | {fmt(data.get('kubectl_apply_ms'), ' ms')} | {fmt(data.get('driftdeck_sync_ms'), ' ms')} | {data.get('sync_speedup_vs_apply', '—')}× |",
                  f"| sync vs apply + `kubectl wait --for=condition=Available` | {fmt((data.get('kubectl_apply_ms') or 0) + (data.get('kubectl_wait_available_ms') or 0), ' ms')} | {fmt(data.get('driftdeck_sync_ms'), ' ms')} | {data.get('sync_speedup_vs_apply_and_wait', '—')}× |",
                  "", "`driftdeck-cli sync` waits for the Deployments to become Healthy (health between waves, polled each second; "
                  f"{backend_note}); `kubectl apply` does not wait, hence the third row — "
                  "where `kubectl wait` itself is slow (it waits Deployment by Deployment), so that row flatters Driftdeck.", ""]

    at20 = next((f for f in fleet if f["size"] == "20k"), {"cli": {}, "gui": {}})
    c, g = at20["cli"], at20["gui"]
    step_b = [exponent([(f["cli"].get("objects"), f["cli"].get("cold_complete_status_ms")) for f in pair])
              for pair in zip(fleet, fleet[1:])]
    step_b = [b for b in step_b if b is not None]
    b_cold = max(step_b) if step_b else None
    lines += ["## Targets (20,000 objects: 10 clusters × 50 apps × 40 resources)", "",
              "| Target | Measured | |", "|---|---|---|",
              f"| Complete fleet status ≤ 3 s cold on 2 cores | {fmt(c.get('cold_complete_status_ms'), ' ms')} | {verdict(c.get('cold_complete_status_ms'), 3000)} |",
              f"| GUI peak RSS ≤ 400 MB | {fmt(g.get('peak_rss_mb'), ' MB')} | {verdict(g.get('peak_rss_mb'), 400)} |",
              f"| Re-compare after one-file commit ≤ 100 ms | {fmt(c.get('recompare_after_one_file_commit_ms'), ' ms')} | {verdict(c.get('recompare_after_one_file_commit_ms'), 100)} |",
              f"| Live edit → OutOfSync ≤ 200 ms | {fmt(c.get('live_edit_to_out_of_sync_ms'), ' ms')} | {verdict(c.get('live_edit_to_out_of_sync_ms'), 200)} |",
              f"| diff ≥ 10× faster than kubectl diff --server-side (500 objects, warm) | {kubectl.get('diff_speedup', '—')}× | {verdict(kubectl.get('diff_speedup'), 10, False)} |",
              f"| sync ≥ 3× faster than kubectl apply --server-side | {kubectl.get('sync_speedup_vs_apply', '—')}× | {verdict(kubectl.get('sync_speedup_vs_apply'), 3, False)} |",
              f"| Longest UI-thread stall during full refresh ≤ 50 ms | {fmt(g.get('longest_ui_stall_full_refresh_ms'), ' ms', 1)} | {verdict(g.get('longest_ui_stall_full_refresh_ms'), 50)} |",
              f"| Growth close to linear (cold status, steepest step) | b = {fmt(b_cold, '', 2)} | {verdict(b_cold, 1.15)} (b ≤ 1.15 counted as close) |", ""]

    notes = os.path.join(os.path.dirname(out_md), "profile-notes.md")
    if os.path.exists(notes):
        with open(notes, encoding="utf-8") as f:
            lines += [f.read().rstrip(), ""]
    with open(out_md, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
