#!/usr/bin/env python3
"""plot.py — charts from execbench results documents.

    tools/plot.py [--out DIR] [--svg] [--max-input-bytes N] [--compare PATH] RESULTS.json
    tools/plot.py trend [--out DIR] [--svg] [--order HOW] [--filter REGEX] [--compare PATH]
                  FILE... | DIR

Writes into DIR (default: a folder beside the results file named after it,
results/latest.json -> results/latest/):

  overview.png   per workload, grouped bars of the median time of each executor
                 at each worker count, min-max error bars, the ideal time marked
  scaling.png    speedup over the sequential point against workers, one line per
                 executor, each speedup with its 95% interval as an error bar (paired
                 per round in an interleaved run), with the ideal speedup
  overheads.png  the micro.* benchmarks (execbench-micro) on a log axis
  crossover.png  only for a document with mix.waitsum at several CPU shares (the
                 crossover preset): each executor's median over the fastest's at
                 each share of the work that computes, and which one wins by how
                 much
  scale.png      per workload, log-log against the tasks: the time each task took
                 above the ideal, warm (the median) and cold (the first run in the
                 point's process), and the resident bytes per task; one line per
                 executor and coroutine stack mode (execbench --preset scale)

--svg writes an SVG beside each PNG (its text kept as text). Every figure
drawn comes from `execbench-compare summary --format json` (the results
library's: median, min, max, speedup and efficiency with their 95% intervals,
the ideal and its speedup, which figures are beyond their physical bound (with
an interval: all of it) and the likely cause; for the crossover each point's
median over its group's fastest, the fastest's lead over the runner-up and the
reference's CPU share): this script computes none of them, it draws them. Only
the micro benchmarks'
counters (ns_per_switch, ...), which no library reads, are taken from the
document itself. execbench-compare is --compare PATH, else
$EXECBENCH_COMPARE, else the one beside this script (installed: execbench-plot
and execbench-compare share bin/), else build/execbench-compare beside tools/,
else the one on PATH. Reads any Google Benchmark JSON, at most --max-input-bytes (default
1G, as execbench-compare); error rows are left out. A figure beyond its bound
is marked "!" with the cause under the chart; a document of an interrupted
run says so in every title and on stderr. Needs matplotlib (Debian:
python3-matplotlib; `make plot` finds an interpreter that has it). Exit
status: 0, 2 for bad input.

plot.py trend draws trend.png (DIR: the folder given, else the current one):
each benchmark's history across the runs, one panel per workload, the median
of each run with its interval, and the changes `execbench-compare trend`
flagged (its --format json: the runs in order, the medians, the intervals and
the changes are its). --order (date, revision, given) and --filter go to it.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import textwrap

PROG = "plot.py"
# One colour per executor, the same in every figure (matplotlib's tab10 order).
EXECUTOR_ORDER = ["sequential", "threaded", "coroutine", "multiprocess", "hybrid"]
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


# What a file may hold unless --max-input-bytes says otherwise: execbench-compare's
# limit (EB_RESULTS_MAX_BYTES_DEFAULT), which it enforces.
MAX_INPUT_BYTES = 1 << 30


class BadInput(Exception):
    """The document cannot be plotted; the message says why."""


def fail(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_bytes(text):
    """'1073741824', '512K', '64M', '1G' (binary multiples) -> bytes, > 0."""
    units = {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}
    digits = text.rstrip("KMGTiB")
    suffix = text[len(digits):]
    if suffix.endswith("iB"):
        suffix = suffix[:-2]
    if not digits.isdigit() or suffix not in units or int(digits) == 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a size above 0: bytes, or with K, M "
                                         "or G (1G is 1 GiB)")
    return int(digits) << units[suffix]


def load(path):
    """The document itself, for the micro rows' counters: execbench-compare has
    read it first and found it a sound results document within the limit."""
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))  # takes libbenchmark 1.7.1's bare NaN
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadInput(f"{path}: cannot read it again: {e}") from None


def find_compare(given):
    """execbench-compare: --compare, $EXECBENCH_COMPARE, beside this script (installed
    as execbench-plot in bin/), the build beside tools/, PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (given, os.environ.get("EXECBENCH_COMPARE"),
                 os.path.join(here, "execbench-compare"),
                 os.path.join(here, os.pardir, "build", "execbench-compare"),
                 shutil.which("execbench-compare")):
        if path and os.access(path, os.X_OK):
            return path
    raise BadInput("execbench-compare not found: build it (make), or give --compare PATH")


def ask(compare, args):
    """execbench-compare's report as JSON; its one line of why when it refuses."""
    done = subprocess.run([compare, "--format", "json"] + args, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()
        why = said[-1] if said else f"execbench-compare exited {done.returncode}"
        prefix = "execbench-compare: "
        raise BadInput(why[len(prefix):] if why.startswith(prefix) else why)
    return json.loads(done.stdout)


def summarize(compare, path, max_bytes):
    """The summary report of the document: execbench-compare summary --format json."""
    return ask(compare, ["--max-input-bytes", str(max_bytes), "summary", path])


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class Run:
    """One point's (or one plain benchmark's) figures, as the report gives them."""

    def __init__(self, row):
        self.row = row
        self.median = row.get("median_ns") if number(row.get("median_ns")) else None
        lo, hi = row.get("min_ns"), row.get("max_ns")
        self.spread = (lo, hi) if number(lo) and number(hi) else None
        self.ideal_ns = row.get("ideal_ns") if number(row.get("ideal_ns")) else None
        self.speedup = row.get("speedup") if number(row.get("speedup")) else None
        lo, hi = row.get("speedup_low"), row.get("speedup_high")
        self.speedup_interval = (lo, hi) if number(lo) and number(hi) else None
        self.ideal_speedup = (row.get("ideal_speedup") if number(row.get("ideal_speedup"))
                              else None)
        self.beyond = row.get("beyond_bound") is True
        self.cpu_share = row.get("cpu_share") if number(row.get("cpu_share")) else None
        self.times_best = row.get("times_best") if number(row.get("times_best")) else None
        self.lead = row.get("lead") if number(row.get("lead")) else None
        self.winner = row.get("winner") is True
        self.counters = {}
        # scale: the cost of a task above the ideal, warm and cold, and its bytes
        self.stack = row.get("coro_stack_used") if isinstance(row.get("coro_stack_used"), str) \
            else None
        self.over = row.get("over_ideal_per_task_ns")
        self.cold_over = row.get("cold_over_ideal_per_task_ns")
        self.bytes = row.get("max_rss_per_task_bytes")


def executor_label(row):
    """The executor, and its GIL when it ran under one (a point of its own)."""
    gil = row.get("gil_interval_us")
    return f"{row.get('executor')}+GIL {gil} us" if number(gil) else row.get("executor")


def gather(report):
    """Runs keyed as the report's rows are: points by their fields, the rest by name."""
    runs = {}
    for table in report.get("tables", []):
        for row in table.get("rows", []):
            run = Run(row)
            if isinstance(row.get("workload"), str):
                key = ("P", row["workload"], executor_label(row), row.get("workers"),
                       row.get("tasks"), row.get("pin") or "", row.get("params") or "",
                       row.get("coro_stack") or "")
            else:
                key = ("B", row.get("name"))
            runs[key] = run
    return runs


# The micro benchmarks' counters are the document's own (libbenchmark's rows,
# which no library reads): every repetition's value, for each run by name.
def micro_counters(doc, runs):
    for row in doc.get("benchmarks", []):
        if not isinstance(row, dict) or row.get("error_occurred") is True:
            continue
        if row.get("run_type", "iteration") != "iteration":
            continue
        name = row.get("run_name") if isinstance(row.get("run_name"), str) else row.get("name")
        run = runs.get(("B", name))
        if run is None:
            continue
        for k, v in row.items():
            if k in MICRO_FIGURES and number(v):
                run.counters.setdefault(k, []).append(float(v))


def bound_notes(report, groups):
    """The report's notes on figures beyond their bound in these groups' tables,
    each with its likely cause."""
    workloads = {g[0] for g in groups}
    return [note for table in report.get("tables", []) if table.get("title") in workloads
            for note in table.get("notes", []) if note.startswith("! ")]


def time_scale(values_ns):
    """The unit that makes the largest value read 1..999."""
    top = max(values_ns) if values_ns else 1.0
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if top >= scale:
            return unit, scale
    return "ns", 1.0


def headline(title, banner):
    """The figure's title, after what the document says of its run when it did not end."""
    return f"{banner}: the charts hold the points that finished\n{title}" if banner else title


def footnotes(fig, lines):
    """Lines under the panels: the "!" marks, each with its likely cause. Returns
    how many text lines they take."""
    if not lines:
        return 0
    width = int(fig.get_figwidth() * 17)  # characters of x-small text per line
    text = [textwrap.fill(line, width, subsequent_indent="    ") for line in
            ["!: beyond the physical bound (an efficiency above 100%, with an interval all of it; "
             "so a speedup above what the ideal allows): a measurement artefact, not a result"]
            + lines]
    text = "\n".join(text)
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize="x-small", color="#d62728")
    return text.count("\n") + 1


def title_room(fig, banner=None, note_lines=0):
    """tight_layout, leaving the suptitle its own strip above the panels, and the
    footnotes theirs below."""
    top = (0.45 + (0.22 if banner else 0.0)) / fig.get_figheight()
    bottom = (0.12 * note_lines + (0.1 if note_lines else 0.0)) / fig.get_figheight()
    fig.tight_layout(rect=(0, bottom, 1, 1 - top))


def workers_label(w):
    return "unbounded" if w == 0 else str(w)


def executor_colours(executors):
    ordered = sorted(executors, key=lambda e: (EXECUTOR_ORDER.index(e)
                                               if e in EXECUTOR_ORDER else 99, e))
    # A known executor keeps its colour whichever others share the panel.
    extra = [e for e in ordered if e not in EXECUTOR_ORDER]
    def index(e):
        return EXECUTOR_ORDER.index(e) if e in EXECUTOR_ORDER else len(EXECUTOR_ORDER) + extra.index(e)
    return ordered, {e: COLOURS[index(e) % len(COLOURS)] for e in ordered}


def point_groups(runs):
    """(workload, tasks, params, pin) -> {executor: {workers: Run}}, in document order."""
    groups = {}
    for key, run in runs.items():
        if key[0] != "P" or run.median is None:
            continue
        _, workload, executor, workers, tasks, pin, params, _stack = key
        groups.setdefault((workload, tasks, params, pin), {}).setdefault(executor, {})[workers] = run
    return groups


def group_title(g):
    workload, tasks, params, pin = g
    bits = [f"{tasks} tasks"] + ([params] if params else []) + ([f"pin {pin}"] if pin else [])
    return f"{workload} ({', '.join(bits)})"


def matplotlib_ticker():
    import matplotlib.ticker
    return matplotlib.ticker


def log_time_axis(ax, medians):
    """A log y axis where the medians span more than 30x, with plain numbers at
    1-2-5 steps: one label per decade leaves a short span (2 to 80 ms) with a
    single "10^1" to read by."""
    if max(medians) > 30 * max(min(medians), 1e-12):
        ax.set_yscale("log")
        ticker = matplotlib_ticker()
        ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def empty_figure(plt, title, message, banner=None):
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.set_axis_off()
    ax.set_title(headline(title, banner))
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
    fig.tight_layout()  # a two-line title stays inside the figure
    return fig


def overview(plt, runs, report, source, banner=None):
    groups = point_groups(runs)
    title = "Median time per executor (lower is better)"
    if not groups:
        return empty_figure(plt, title, f"no execbench points in {source}", banner)
    fig, axes = plt.subplots(len(groups), 1, figsize=(10, 3.8 * len(groups)), squeeze=False)
    for ax, (g, by_exec) in zip(axes[:, 0], groups.items()):
        executors, colour = executor_colours(by_exec)
        workers = sorted({w for runs_w in by_exec.values() for w in runs_w},
                         key=lambda w: (w == 0, w if isinstance(w, int) else 0))
        medians = [r.median for e in by_exec.values() for r in e.values()]
        unit, scale = time_scale(medians)
        # Each worker count gets the executors measured there, side by side.
        slots = {w: [e for e in executors if w in by_exec[e]] for w in workers}
        width = 0.8 / max(len(v) for v in slots.values())
        bars = {e: ([], [], [], []) for e in executors}
        ideal_drawn = False
        for j, w in enumerate(workers):
            present = slots[w]
            for i, e in enumerate(present):
                run = by_exec[e][w]
                x = j + width * (i - (len(present) - 1) / 2)
                xs, ys, lo, hi = bars[e]
                xs.append(x)
                ys.append(run.median / scale)
                spread = run.spread or (run.median, run.median)
                lo.append((run.median - spread[0]) / scale)
                hi.append((spread[1] - run.median) / scale)
                if run.ideal_ns is not None:
                    ax.hlines(run.ideal_ns / scale, x - width / 2, x + width / 2, colors="black",
                              linewidths=2, label=None if ideal_drawn else "ideal", zorder=3)
                    ideal_drawn = True
                if run.beyond:  # faster than the ideal: marked, as in the tables
                    top = max(spread[1], run.ideal_ns or 0.0)
                    ax.annotate("!", (x, top / scale), xytext=(0, 2),
                                textcoords="offset points", ha="center", va="bottom",
                                color="#d62728", fontweight="bold", zorder=4)
        for e in executors:
            xs, ys, lo, hi = bars[e]
            ax.bar(xs, ys, width * 0.92, yerr=[lo, hi], capsize=3, color=colour[e], label=e,
                   zorder=2, error_kw={"elinewidth": 1})
        ax.set_xticks(range(len(workers)), [workers_label(w) for w in workers])
        ax.set_xlabel("workers")
        ax.set_ylabel(f"median time ({unit})")
        log_time_axis(ax, medians)
        ax.grid(axis="y", alpha=0.3, zorder=0)
        ax.set_title(group_title(g))
        ax.legend(fontsize="small", ncol=min(len(executors) + 1, 5))
    fig.suptitle(headline(f"{title}; bars: median, whiskers: min-max, black: ideal", banner),
                 fontsize=11)
    title_room(fig, banner, footnotes(fig, bound_notes(report, groups)))
    return fig


def scaling(plt, runs, report, source, banner=None):
    groups = point_groups(runs)
    title = "Speedup over sequential (higher is better)"
    # a group whose points have a speedup (it has its reference point) and more than one executor
    drawable = {g: by for g, by in groups.items()
                if len(by) > 1 and any(r.speedup is not None for e in by.values() for r in e.values())}
    if not drawable:
        return empty_figure(plt, title, f"no workload in {source} has a sequential point "
                                        "and another executor to compare", banner)
    fig, axes = plt.subplots(len(drawable), 1, figsize=(9, 3.8 * len(drawable)), squeeze=False)
    for ax, (g, by_exec) in zip(axes[:, 0], drawable.items()):
        tasks = g[1] if isinstance(g[1], int) and g[1] > 0 else None
        executors, colour = executor_colours(by_exec)
        ideal, ideal_unbounded = {}, {}

        def at(w):  # "unbounded" plots at the task count: every task in flight
            return tasks if w == 0 and tasks else w

        for e in executors:
            pts = sorted((at(w), r.speedup, r.speedup_interval) for w, r in by_exec[e].items()
                         if r.speedup is not None and isinstance(at(w), int) and at(w) > 0)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", color=colour[e],
                        label=e)
                # each speedup's 95% interval, where the report gives one
                bars = [p for p in pts if p[2] is not None]
                if bars:
                    ax.errorbar([p[0] for p in bars], [p[1] for p in bars],
                                yerr=[[max(p[1] - p[2][0], 0) for p in bars],
                                      [max(p[2][1] - p[1], 0) for p in bars]],
                                fmt="none", ecolor=colour[e], capsize=3, elinewidth=1)
            for w, r in by_exec[e].items():  # beyond the bound: ringed and marked "!"
                if r.beyond and r.speedup is not None and isinstance(at(w), int) and at(w) > 0:
                    ax.plot([at(w)], [r.speedup], marker="o", markersize=12,
                            markerfacecolor="none", markeredgecolor="#d62728", linestyle="none")
                    ax.annotate("!", (at(w), r.speedup), xytext=(7, 4),
                                textcoords="offset points", color="#d62728",
                                fontweight="bold")
            for w, r in by_exec[e].items():
                if r.ideal_speedup is not None and isinstance(at(w), int) and at(w) > 0:
                    # An unbounded executor's ideal is its own (one thread for
                    # coroutines): a mark at its point, not part of the line.
                    into = ideal_unbounded if w == 0 else ideal
                    into.setdefault(at(w), []).append(r.ideal_speedup)
        if ideal:
            xs = sorted(ideal)
            ax.plot(xs, [statistics.median(ideal[x]) for x in xs], linestyle="--", color="black",
                    label="ideal")
        if ideal_unbounded:
            xs = sorted(ideal_unbounded)
            ax.plot(xs, [statistics.median(ideal_unbounded[x]) for x in xs], linestyle="none",
                    marker="_", markersize=18, markeredgewidth=2, color="black",
                    label=None if ideal else "ideal")
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_formatter(matplotlib_ticker().ScalarFormatter())
        ax.set_xticks(sorted({at(w) for by in by_exec.values() for w in by
                              if isinstance(at(w), int) and at(w) > 0}))
        speedups = [r.speedup for by in by_exec.values() for r in by.values()
                    if r.speedup is not None]
        if max(speedups) > 20 * max(min(speedups), 1e-12):
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(matplotlib_ticker().ScalarFormatter())
        ax.set_xlabel("workers (unbounded plotted at the task count)" if 0 in
                      {w for by in by_exec.values() for w in by} else "workers")
        ax.set_ylabel("speedup (x)")
        ax.grid(alpha=0.3)
        ax.set_title(group_title(g))
        ax.legend(fontsize="small")
    fig.suptitle(headline(f"{title}: sequential time / time, bars: 95% interval", banner),
                 fontsize=11)
    title_room(fig, banner, footnotes(fig, bound_notes(report, drawable)))
    return fig


# The figure each micro family reports (issue: "each beside its floor"), in the
# order preferred when a row has several; memory goes on its own axis (bytes).
MICRO_FIGURES = ("ns_per_switch", "ns_per_spawn", "overshoot_p50_ns", "elements_per_ns",
                 "pss_bytes_per_unit", "rss_bytes_per_unit")


def micro_figure(name, run):
    """(panel, label, values): what to draw for one micro benchmark."""
    short = name[len("micro."):]
    for counter in MICRO_FIGURES:
        vals = run.counters.get(counter)
        if not vals:
            continue
        if counter == "pss_bytes_per_unit":  # shared pages split between sharers
            return "memory", f"{short}  [proportional set size per unit]", vals
        if counter == "rss_bytes_per_unit":
            return "memory", f"{short}  [resident bytes per unit]", vals
        if counter == "elements_per_ns":
            return "time", f"{short}  [ns per element]", [1.0 / v for v in vals if v > 0]
        if counter == "overshoot_p50_ns":
            return "time", f"{short}  [wake-up overshoot, p50]", vals
        return "time", f"{short}  [{counter}]", vals
    return "time", f"{short}  [time/iteration]", [v for v in (run.median,) + (run.spread or ())]


def draw_panel(ax, rows, xlabel, fmt):
    names = [r[0] for r in rows]
    values = [statistics.median(r[1]) for r in rows]
    lo = [v - min(r[1]) for v, r in zip(values, rows)]
    hi = [max(r[1]) - v for v, r in zip(values, rows)]
    ys = range(len(names))
    ax.barh(ys, values, xerr=[lo, hi], capsize=3, color=COLOURS[0], zorder=2)
    for y, v in zip(ys, values):
        ax.text(v * 1.15, y, fmt(v), va="center", fontsize="small")
    ax.set_yticks(list(ys), names)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(min(values) / 3, max(values) * 8)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", which="both", alpha=0.3, zorder=0)


def overheads(plt, runs, report, source, banner=None):
    micro = [(key[1], run) for key, run in runs.items()
             if key[0] == "B" and key[1].startswith("micro.") and run.median is not None]
    title = "Micro-benchmarks: the costs behind the results (log scale)"
    if not micro:
        return empty_figure(plt, title, f"no micro.* benchmarks in {source}; they come from "
                                        "build/execbench-micro --benchmark_format=json", banner)
    panels = {"time": [], "memory": []}
    for name, run in micro:
        panel, label, vals = micro_figure(name, run)
        if vals:
            panels[panel].append((label, vals))
    shown = [p for p in ("time", "memory") if panels[p]]
    heights = [len(panels[p]) for p in shown]
    fig, axes = plt.subplots(len(shown), 1, squeeze=False,
                             figsize=(12, 1.8 * len(shown) + 0.42 * sum(heights)),
                             gridspec_kw={"height_ratios": heights})

    def fmt_time(v):
        unit, scale = time_scale([v])
        return f"{v / scale:.3g} {unit}"

    def fmt_bytes(v):
        for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
            if v >= scale:
                return f"{v / scale:.3g} {unit}"
        return f"{v:.3g} B"

    for ax, p in zip(axes[:, 0], shown):
        if p == "time":
            draw_panel(ax, panels[p], "nanoseconds per operation (median; whiskers: min-max)",
                       fmt_time)
        else:
            draw_panel(ax, panels[p], "memory per idle unit, bytes (PSS, or RSS where PSS is absent)",
                       fmt_bytes)
    fig.suptitle(headline(title, banner), fontsize=12)
    title_room(fig, banner)
    return fig


# The crossover: mix.waitsum at several CPU shares (the crossover preset).
CROSSOVER_WORKLOAD = "mix.waitsum"


def crossover_series(runs):
    """(tasks, pin, the parameters but n) -> {(executor, workers): {params: Run}}, and
    the runs of each share: the sweeps of mix.waitsum whose points have a CPU share."""
    series = {}
    for key, run in runs.items():
        if key[0] != "P" or key[1] != CROSSOVER_WORKLOAD or run.median is None:
            continue
        if run.cpu_share is None or run.times_best is None:
            continue
        _, _, executor, workers, tasks, pin, params, _stack = key
        rest = ",".join(p for p in params.split(",") if not p.startswith("n="))
        series.setdefault((tasks, pin, rest), {}).setdefault((executor, workers), {})[params] = run
    # a sweep: more than one share
    return {k: v for k, v in series.items()
            if len({p for by in v.values() for p in by}) > 1}


def crossover(plt, runs, report, source, banner=None):
    sweeps = crossover_series(runs)
    title = "Mixed work: which executor wins at each CPU share, and by how much"
    fig, axes = plt.subplots(2 * len(sweeps), 1, squeeze=False,
                             figsize=(11, 7.5 * len(sweeps)),
                             gridspec_kw={"height_ratios": [3, 1.3] * len(sweeps)})
    for s_index, ((tasks, pin, rest), by_model) in enumerate(sweeps.items()):
        top, bottom = axes[2 * s_index, 0], axes[2 * s_index + 1, 0]
        # the shares in the order the report gives them (n upward in the preset),
        # each with the CPU share its reference measured
        shares = {}
        for by in by_model.values():
            for params, run in by.items():
                shares.setdefault(params, run.cpu_share)
        order = list(shares)  # as the report lists them: the plan's order, n upward
        xs = list(range(len(order)))
        labels = [f"{shares[p]:.1%}\n" + ",".join(q for q in p.split(",") if q.startswith("n="))
                  for p in order]
        executors = sorted({e for e, _ in by_model}, key=lambda e: (
            EXECUTOR_ORDER.index(e.split("+")[0]) if e.split("+")[0] in EXECUTOR_ORDER else 99, e))
        _, colour = executor_colours(executors)
        markers = "osD^v<>ph*"
        models = sorted(by_model, key=lambda m: (executors.index(m[0]), m[1] if m[1] else 1 << 30))
        style = {}
        for i, m in enumerate(models):
            same = [x for x in models if x[0] == m[0]]
            style[m] = ("-" if same.index(m) == 0 else "--", markers[i % len(markers)])
        for m in models:
            e, w = m
            pts = [(xs[order.index(p)], r.times_best) for p, r in by_model[m].items()]
            pts.sort()
            line, marker = style[m]
            ax_label = f"{e}, {workers_label(w)} {'worker' if w == 1 else 'workers'}"
            top.plot([x for x, _ in pts], [y for _, y in pts], linestyle=line, marker=marker,
                     color=colour[e], label=ax_label)
        top.set_yscale("log")
        ticker = matplotlib_ticker()
        top.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        top.yaxis.set_major_formatter(ticker.FormatStrFormatter("%gx"))
        top.yaxis.set_minor_formatter(ticker.NullFormatter())
        top.set_xticks(xs, labels)
        top.set_ylabel("median / the fastest's (1x: it wins)")
        top.grid(alpha=0.3)
        bits = [f"{tasks} tasks"] + ([rest] if rest else []) + ([f"pin {pin}"] if pin else [])
        top.set_title(f"{CROSSOVER_WORKLOAD} ({', '.join(bits)}): each point against the "
                      "fastest at its share")
        top.legend(fontsize="small", ncol=3)
        # the winner at each share, and its lead over the runner-up
        for p in order:
            x = xs[order.index(p)]
            for m in models:
                run = by_model[m].get(p)
                if run is None or not run.winner:
                    continue
                e, w = m
                lead = run.lead if run.lead is not None else 1.0
                bottom.bar(x, lead, 0.6, color=colour[e], zorder=2)
                bottom.annotate(f"{e}\n{workers_label(w)} {'worker' if w == 1 else 'workers'}"
                                f"\nby {lead:.2f}x", (x, lead),
                                xytext=(0, 2), textcoords="offset points", ha="center",
                                va="bottom", fontsize="x-small")
        bottom.set_xticks(xs, labels)
        bottom.set_xlabel("CPU share of the work (the sequential point's CPU time / its time), "
                          "and n")
        bottom.set_ylabel("winner's lead (x)")
        bottom.set_ylim(bottom=1.0)
        bottom.margins(y=0.45)
        bottom.grid(axis="y", alpha=0.3, zorder=0)
    fig.suptitle(headline(f"{title} ({source})", banner), fontsize=11)
    title_room(fig, banner)
    return fig


def scale_lines(runs):
    """workload -> {(executor, stack mode or None): {tasks: Run}}: the points of
    each executor and mode, by task count (the first point of a count wins)."""
    lines = {}
    for key, run in runs.items():
        if key[0] != "P" or run.median is None or not isinstance(key[4], int):
            continue
        by_tasks = lines.setdefault(key[1], {}).setdefault((key[2], run.stack), {})
        by_tasks.setdefault(key[4], run)
    # a line needs two task counts or more
    return {w: {k: v for k, v in by.items() if len(v) > 1} for w, by in lines.items()
            if any(len(v) > 1 for v in by.values())}


def darker(hex_colour):
    """The colour 45% of the way to black."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{int(v * 0.55):02x}" for v in rgb)


def line_label(executor, stack):
    return f"{executor}, {stack} stacks" if stack else executor


def scale(plt, runs, report, source, banner=None):
    lines = scale_lines(runs)
    title = "Scale: the cost of a task against the tasks (log-log; flat is best)"
    if not lines:
        return empty_figure(plt, title, f"no executor in {source} was measured at two task "
                                        "counts or more; execbench --preset scale measures them",
                            banner)
    fig, axes = plt.subplots(len(lines), 2, figsize=(13, 5.6 * len(lines)), squeeze=False)
    skipped = []
    for (ax_t, ax_b), (workload, by_line) in zip(axes, lines.items()):
        executors, colour = executor_colours({e for e, _ in by_line})
        styles = {}  # each line its own marker; an executor's second stack mode a darker shade
        shades = {}
        for (e, stack) in sorted(by_line, key=lambda k: (executors.index(k[0]), k[1] or "")):
            pts = sorted(by_line[(e, stack)].items())
            label = line_label(e, stack)
            marker = styles.setdefault((e, stack), "os^vD"[len(styles) % 5])
            nth = shades.setdefault(e, [])
            nth.append(stack)
            c = colour[e] if len(nth) == 1 else darker(colour[e])
            for which, attr, style in (("warm", "over", "-"), ("cold", "cold_over", "--")):
                xs, ys = [], []
                for tasks, run in pts:
                    v = getattr(run, attr)
                    if not number(v):
                        continue
                    if v <= 0:  # beyond the ideal: no place on a log axis
                        skipped.append(f"{label}, {tasks} tasks, {which}: {v:.0f} ns")
                        continue
                    xs.append(tasks)
                    ys.append(v)
                if xs:
                    ax_t.plot(xs, ys, linestyle=style, marker=marker, color=c,
                              label=f"{label} ({which})",
                              markerfacecolor=c if which == "warm" else "none")
            xs = [t for t, r in pts if number(r.bytes) and r.bytes > 0]
            if xs:
                ax_b.plot(xs, [by_line[(e, stack)][t].bytes for t in xs], marker=marker,
                          color=c, label=label)
        for ax in (ax_t, ax_b):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("tasks, every one in flight")
            ax.grid(which="both", alpha=0.3)
        # below the panel: inside, eight entries hid the large counts' points
        ax_t.legend(fontsize="small", ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.14))
        ax_b.legend(fontsize="small")
        ax_t.set_ylabel("ns per task above the ideal")
        ax_t.set_title(f"{workload}: (time - ideal) / tasks; warm: median, cold: first run")
        ax_b.set_ylabel("bytes per task (peak RSS / tasks)")
        ax_b.set_title(f"{workload}: resident memory per task")
    fig.suptitle(headline(title, banner), fontsize=12)
    notes = [f"not drawn, at or below the ideal: {s}" for s in skipped]
    if notes:
        fig.text(0.01, 0.005, "\n".join(notes), ha="left", va="bottom", fontsize="x-small")
    title_room(fig, banner, len(notes))
    return fig


# ---- trend ---------------------------------------------------------------------


def trend_report(compare, inputs, order, flt, max_bytes):
    """execbench-compare trend --format json over the inputs."""
    args = ["--max-input-bytes", str(max_bytes)]
    if order:
        args += ["--order", order]
    if flt:
        args += ["--filter", flt]
    return ask(compare, args + ["trend"] + inputs)


def short_names(names):
    """The parts of the names that tell them apart: "exec:coroutine/workers:0"
    for points that share their workload, tasks, n and pin."""
    split = [n[: -len("/manual_time")].split("/") if n.endswith("/manual_time") else n.split("/")
             for n in names]
    common = set.intersection(*(set(p) for p in split)) if len(split) > 1 else set()
    return ["/".join(x for x in p if x not in common) or "/".join(p) for p in split]


def run_labels(runs_table, order):
    """x tick labels: the run's number, with its revision or its time."""
    labels = []
    for row in runs_table.get("rows", []):
        k, rev, date = row.get("run"), row.get("revision"), row.get("date") or ""
        if order == "revision" and rev:
            labels.append(f"{k}\n{rev}")
        elif len(date) >= 16:
            labels.append(f"{k}\n{date[5:10]}\n{date[11:16]}")
        else:
            labels.append(str(k))
    return labels


def trend_figure(plt, report):
    tables = {t.get("title"): t for t in report.get("tables", [])}
    runs = report.get("runs", 0)
    panels = [t for t in report.get("tables", []) if str(t.get("title", "")).startswith("history: ")]
    panels = [t for t in panels if any(number(r.get(f"{k}.median_ns"))
                                       for r in t.get("rows", []) for k in range(1, runs + 1))]
    if not panels:
        raise BadInput("no benchmark has a median in any run")
    labels = run_labels(tables.get("runs", {}), report.get("order"))
    # the change of each flagged (name, run), for its label
    changes = {(c.get("name"), c.get("run")): c.get("change")
               for c in tables.get("changes", {}).get("rows", [])}
    fig, axes = plt.subplots(len(panels), 1, figsize=(max(9, 0.75 * runs + 5), 4.2 * len(panels)),
                             squeeze=False)
    for ax, table in zip(axes[:, 0], panels):
        rows = table["rows"]
        medians = [r[f"{k}.median_ns"] for r in rows for k in range(1, runs + 1)
                   if number(r.get(f"{k}.median_ns"))]
        unit, scale = time_scale(medians)
        for i, (row, label) in enumerate(zip(rows, short_names([r["name"] for r in rows]))):
            colour = COLOURS[i % len(COLOURS)]
            xs, ys, lo, hi = [], [], [], []
            for k in range(1, runs + 1):
                m = row.get(f"{k}.median_ns")
                if not number(m):
                    continue
                a, b = row.get(f"{k}.lo_ns"), row.get(f"{k}.hi_ns")
                xs.append(k)
                ys.append(m / scale)
                lo.append((m - a) / scale if number(a) else 0.0)
                hi.append((b - m) / scale if number(b) else 0.0)
            ax.errorbar(xs, ys, yerr=[lo, hi], marker="o", markersize=4, capsize=3, color=colour,
                        label=label, zorder=2)
            for k in range(1, runs + 1):
                change, m = row.get(f"{k}.change"), row.get(f"{k}.median_ns")
                if change not in ("slower", "faster", "pending") or not number(m):
                    continue
                marker = {"slower": "^", "faster": "v", "pending": "o"}[change]
                ax.plot([k], [m / scale], marker=marker, markersize=13, linestyle="none",
                        markerfacecolor="none" if change == "pending" else colour,
                        markeredgecolor="#d62728" if change != "faster" else "#2ca02c",
                        markeredgewidth=2, zorder=3)
                ax.axvline(k - 0.5, color="#d62728" if change != "faster" else "#2ca02c",
                           linestyle=":" if change == "pending" else "--", linewidth=1, zorder=1)
                size = changes.get((row["name"], k))
                said = f" {size:+.0%}" if number(size) else ""
                ax.annotate(f"{label}:{said} {change} from run {k}", (k - 0.5, m / scale),
                            xytext=(-4, 6), bbox={"boxstyle": "round,pad=0.2", "fc": "white",
                                                  "ec": "none", "alpha": 0.85},
                            textcoords="offset points", ha="right", fontsize="small",
                            color="#d62728" if change != "faster" else "#2ca02c")
        log_time_axis(ax, medians)
        ax.set_xticks(range(1, runs + 1), labels if len(labels) == runs else
                      [str(k) for k in range(1, runs + 1)], fontsize="small")
        ax.set_xlim(0.5, runs + 0.5)
        ax.set_xlabel("run")
        ax.set_ylabel(f"median time ({unit})")
        ax.grid(alpha=0.3, zorder=0)
        ax.set_title(table["title"][len("history: "):])
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    flagged = report.get("changes", 0)
    # The count on a line of its own, where the eye lands first (and no wrap splits it).
    first = (f"Each benchmark across {runs} runs (lower is better): {flagged} "
             f"change{'s' if flagged != 1 else ''} flagged by execbench-compare trend")
    legend = ("dots: the median of each run; whiskers: the median's interval (95% where the "
              "repetitions allow, else min-max); a filled triangle: slower or faster from that "
              "run on; a hollow ring: a change the runs after it do not yet confirm")
    title = first + "\n" + textwrap.fill(legend, int(fig.get_figwidth() * 13))
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 1 - (0.25 + 0.17 * title.count("\n")) / fig.get_figheight()))
    return fig


def trend_main(argv):
    parser = argparse.ArgumentParser(prog=f"{PROG} trend",
                                     description="trend.png: each benchmark across many runs")
    parser.add_argument("inputs", nargs="+", metavar="FILE|DIR",
                        help="results documents, or a folder of them")
    parser.add_argument("--out", help="folder for trend.png (default: the folder given, else .)")
    parser.add_argument("--svg", action="store_true", help="write trend.svg beside it")
    parser.add_argument("--order", choices=("date", "revision", "given"),
                        help="the order of the runs (execbench-compare trend --order)")
    parser.add_argument("--filter", metavar="REGEX", help="only benchmarks whose name matches")
    parser.add_argument("--max-input-bytes", type=parse_bytes, default=MAX_INPUT_BYTES,
                        metavar="N", help="read at most N bytes a file (suffix K, M, G; default 1G)")
    parser.add_argument("--compare", metavar="PATH", help="the execbench-compare to ask")
    args = parser.parse_args(argv)
    plt = import_pyplot()
    try:
        report = trend_report(find_compare(args.compare), args.inputs, args.order, args.filter,
                              args.max_input_bytes)
        fig = trend_figure(plt, report)
    except BadInput as e:
        fail(str(e))
    single_dir = len(args.inputs) == 1 and os.path.isdir(args.inputs[0])
    out = make_folder(args.out or (args.inputs[0] if single_dir else "."))
    for path in save(fig, out, "trend", args.svg, dpi=110):
        print(path)
    return 0


def make_folder(out):
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        fail(f"{out}: cannot create the folder: {e.strerror}")
    return out


def save(fig, out, name, svg, dpi):
    """name.png (and name.svg) in out; the paths written."""
    written = []
    for ext in ("png", "svg") if svg else ("png",):
        path = os.path.join(out, f"{name}.{ext}")
        try:
            fig.savefig(path, dpi=dpi)
        except OSError as e:
            fail(f"{path}: cannot write: {e.strerror}")
        written.append(path)
    return written


def import_pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")  # files only, no display needed
        matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, smaller
        import matplotlib.pyplot as plt
    except ImportError:
        fail(f"matplotlib is missing for {sys.executable}; install python3-matplotlib "
             "(tools/install-deps.sh plot) or run make plot, which finds an interpreter that has it")
    return plt


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "trend":
        return trend_main(argv[1:])
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     epilog="trend: '%(prog)s trend --help'; each benchmark "
                                            "across many runs (trend.png)")
    parser.add_argument("results", help="an execbench or Google Benchmark JSON document")
    parser.add_argument("--out", help="folder for the figures (default: beside RESULTS, named "
                                      "after it)")
    parser.add_argument("--svg", action="store_true", help="write an SVG beside each PNG")
    parser.add_argument("--max-input-bytes", type=parse_bytes, default=MAX_INPUT_BYTES,
                        metavar="N", help="read at most N bytes (suffix K, M, G; default 1G)")
    parser.add_argument("--compare", metavar="PATH",
                        help="the execbench-compare to ask for the figures (default: "
                             "$EXECBENCH_COMPARE, build/execbench-compare, then PATH)")
    args = parser.parse_args(argv)

    plt = import_pyplot()

    try:
        report = summarize(find_compare(args.compare), args.results, args.max_input_bytes)
        doc = load(args.results)
    except BadInput as e:
        fail(str(e))
    banner = report.get("interruption")
    if banner:
        print(f"{PROG}: {args.results}: {banner}: the charts hold the points that finished",
              file=sys.stderr)
    runs = gather(report)
    micro_counters(doc, runs)
    if not any(r.median is not None for r in runs.values()):
        fail(f"{args.results}: no usable rows (every row failed or has no time)")

    out = make_folder(args.out or os.path.splitext(args.results)[0])
    source = os.path.basename(args.results)
    written = []
    figures = [("overview", overview), ("scaling", scaling), ("overheads", overheads),
               ("scale", scale)]
    if crossover_series(runs):
        figures.append(("crossover", crossover))
    for name, make in figures:
        fig = make(plt, runs, report, source, banner)
        written += save(fig, out, name, args.svg, dpi=120)
        plt.close(fig)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
