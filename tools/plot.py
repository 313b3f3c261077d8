#!/usr/bin/env python3
"""plot.py — charts from an execbench results document.

    tools/plot.py [--out DIR] [--svg] [--max-input-bytes N] RESULTS.json

Writes into DIR (default: a folder beside the results file named after it,
results/latest.json -> results/latest/):

  overview.png   per workload, grouped bars of the median time of each executor
                 at each worker count, min-max error bars, the ideal time marked
  scaling.png    speedup over the sequential point against workers, one line per
                 executor, with the ideal speedup
  overheads.png  the micro.* benchmarks (execbench-micro) on a log axis

--svg writes an SVG beside each PNG (its text kept as text). Reads any Google
Benchmark JSON, at most --max-input-bytes (default 1G, as execbench-compare);
rows with error_occurred are left out. A figure beyond its physical bound
(efficiency above 100%, so a speedup above what the ideal allows) is marked "!"
with the likely cause under the chart, as execbench-compare does
(lib/report/bound.h states the rule); a document of an interrupted run says
so in every title and on stderr. Needs matplotlib (Debian: python3-matplotlib;
`make plot` finds an interpreter that has it). Exit status: 0, 2 for bad input.
"""
import argparse
import json
import math
import os
import statistics
import sys
import textwrap

PROG = "plot.py"
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
# One colour per executor, the same in every figure (matplotlib's tab10 order).
EXECUTOR_ORDER = ["sequential", "threaded", "coroutine", "multiprocess", "hybrid"]
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


# What a file may hold unless --max-input-bytes says otherwise: execbench-compare's
# limit (EB_RESULTS_MAX_BYTES_DEFAULT), so /dev/zero cannot fill the memory.
MAX_INPUT_BYTES = 1 << 30


class BadInput(Exception):
    """The document cannot be plotted; the message says why."""


def fail(msg):
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(2)


def bytes_text(n):
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} byte{'' if n == 1 else 's'}"


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


def context_execbench(doc):
    ctx = doc.get("context")
    eb = ctx.get("execbench") if isinstance(ctx, dict) else None
    return eb if isinstance(eb, dict) else {}


def interruption(doc):
    """'interrupted by SIGINT after 1 of 3 points' (execbench-compare's words), or None."""
    eb = context_execbench(doc)
    if eb.get("interrupted") is not True:
        return None
    by = eb.get("interrupted_by") if isinstance(eb.get("interrupted_by"), str) else "a signal"
    run, planned = eb.get("points_run"), eb.get("points_planned")
    if isinstance(run, int) and isinstance(planned, int):
        return f"interrupted by {by} after {run} of {planned} point{'' if planned == 1 else 's'}"
    if isinstance(run, int):
        return f"interrupted by {by} after {run} point{'' if run == 1 else 's'}"
    return f"interrupted by {by}"


def load(path, max_bytes=MAX_INPUT_BYTES):
    try:
        with open(path, "rb") as f:
            if os.path.isfile(path) and os.fstat(f.fileno()).st_size > max_bytes:
                raise BadInput(f"{path}: {os.fstat(f.fileno()).st_size} bytes, more than "
                               f"--max-input-bytes ({bytes_text(max_bytes)}): is it a results "
                               "document? raise the limit if it is")
            data = f.read(max_bytes + 1)  # a device that never ends stops here
    except OSError as e:
        raise BadInput(f"{path}: cannot read: {e.strerror}") from None
    if len(data) > max_bytes:
        raise BadInput(f"{path}: more than --max-input-bytes ({bytes_text(max_bytes)}) to read: "
                       "is it a results document? raise the limit if it is")
    try:
        doc = json.loads(data.decode("utf-8"))  # accepts libbenchmark 1.7.1's bare NaN
    except UnicodeDecodeError as e:
        raise BadInput(f"{path}: not UTF-8 text: {e.reason}") from None
    except json.JSONDecodeError as e:
        raise BadInput(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
        raise BadInput(f"{path}: not a results document: no \"benchmarks\" array")
    if not doc["benchmarks"]:
        why = interruption(doc)
        if why:
            raise BadInput(f"{path}: {why}: no results in it; run execbench again")
        if context_execbench(doc):
            raise BadInput(f"{path}: \"benchmarks\" is empty: the run wrote no results; run "
                           "execbench again")
        raise BadInput(f"{path}: \"benchmarks\" is empty: nothing to plot")
    return doc


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def row_ns(row, key="real_time"):
    unit = UNIT_NS.get(row.get("time_unit"))
    v = row.get(key)
    if unit is None or not number(v) or v < 0:
        return None
    return v * unit


class Run:
    """Every usable row of one point (or one plain benchmark)."""

    def __init__(self, row):
        self.row = row
        self.samples = []
        self.cpu_samples = []
        self.agg_median = None
        self.agg_cpu_median = None
        self.ideal_ns = None
        self.counters = {}

    @property
    def median(self):
        if self.samples:
            return statistics.median(self.samples)
        return self.agg_median

    @property
    def cpu_median(self):
        if self.cpu_samples:
            return statistics.median(self.cpu_samples)
        return self.agg_cpu_median

    @property
    def cv(self):
        if len(self.samples) < 2 or statistics.mean(self.samples) == 0:
            return None
        return statistics.stdev(self.samples) / statistics.mean(self.samples)

    @property
    def efficiency(self):
        return self.ideal_ns / self.median if self.ideal_ns and self.median else None

    @property
    def beyond(self):
        """Beyond the physical bound as execbench-compare shows it ("100.00%"): bound.h."""
        return self.efficiency is not None and self.efficiency >= 1.0 + 1e-4 / 2

    @property
    def spread(self):
        return (min(self.samples), max(self.samples)) if self.samples else None


def gather(doc):
    """Runs keyed as execbench-compare keys them: points by their fields, the rest by name."""
    runs = {}
    for row in doc["benchmarks"]:
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            continue
        if row.get("error_occurred") is True:
            continue
        is_point = isinstance(row.get("workload"), str) and isinstance(row.get("executor"), str)
        run_name = row.get("run_name") if isinstance(row.get("run_name"), str) else row["name"]
        if is_point:
            params = row.get("params") if isinstance(row.get("params"), dict) else {}
            key = ("P", row["workload"], row["executor"], row.get("workers"), row.get("tasks"),
                   row.get("pin", ""), ",".join(f"{k}={params[k]}" for k in sorted(params)))
        else:
            key = ("B", run_name)
        run = runs.setdefault(key, Run(row))
        ns = row_ns(row)
        if ns is None:
            continue
        if number(row.get("ideal_ns")) and run.ideal_ns is None:
            run.ideal_ns = float(row["ideal_ns"])
        cpu = row_ns(row, "cpu_time")
        if row.get("run_type", "iteration") == "iteration":
            run.samples.append(ns)
            if cpu is not None:
                run.cpu_samples.append(cpu)
            for k, v in row.items():
                if k in MICRO_FIGURES and number(v):
                    run.counters.setdefault(k, []).append(float(v))
        elif row.get("aggregate_name") == "median" and run.agg_median is None:
            run.agg_median = ns
            run.agg_cpu_median = cpu
    return runs


# lib/report/bound.h, line for line: the likely cause of a figure beyond its bound.
BOUND_DESCHEDULED = 1.05
BOUND_SLOWER_CPU = 1.05
BOUND_CPU_BOUND = 0.5


def bound_cause(run, ref):
    over = run.efficiency - 1.0
    real, cpu = run.median, run.cpu_median
    ref_real = ref.median if ref is not None and ref is not run else None
    ref_cpu = ref.cpu_median if ref is not None and ref is not run else None
    ref_cpu_bound = bool(ref_real and ref_cpu and ref_cpu >= BOUND_CPU_BOUND * ref_real)
    cpu_bound = bool(real and cpu is not None and cpu >= BOUND_CPU_BOUND * real)
    cv, ref_cv = run.cv, ref.cv if ref_real else None
    if ref_cpu_bound and ref_real >= BOUND_DESCHEDULED * ref_cpu:
        return (f"the sequential point's wall time is {100.0 * (ref_real / ref_cpu - 1.0):.0f}% "
                "above its CPU time: it waited for a CPU (descheduled), which inflates the ideal "
                "and the speedup drawn from it")
    if ref_cpu_bound and cpu_bound and ref_cpu >= BOUND_SLOWER_CPU * cpu:
        return (f"the sequential point spent {100.0 * (ref_cpu / cpu - 1.0):.0f}% more CPU time "
                "than this point on the same work: its CPU ran slower (a busy host, a lower "
                "clock), which inflates the ideal and the speedup drawn from it")
    spread = max(c for c in (cv, ref_cv, -1.0) if c is not None)
    if spread >= 0 and over <= spread:
        whose = "the sequential point's" if ref_cv is not None and ref_cv > (cv or -1.0) else "its"
        return (f"{100.0 * over:.2f}% over, within the spread of the repetitions "
                f"({whose} CV {100.0 * spread:.2f}%): noise")
    return "the rows show no cause; run the point again"


def bound_notes(groups):
    """One line per point beyond its bound, with the likely cause."""
    notes = []
    for g, by_exec in groups.items():
        ref = next(iter(by_exec.get("sequential", {}).values()), None)
        for executor, by_w in by_exec.items():
            for w, run in by_w.items():
                if run.beyond:
                    notes.append(f"! {group_title(g)}: {executor}, {workers_label(w)} worker"
                                 f"{'' if w == 1 else 's'}: {100.0 * run.efficiency:.2f}% of "
                                 f"the ideal: {bound_cause(run, ref)}")
    return notes


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
            ["!: beyond the physical bound (efficiency above 100%, so a speedup above what the "
             "ideal allows): a measurement artefact, not a result"] + lines]
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
        _, workload, executor, workers, tasks, pin, params = key
        groups.setdefault((workload, tasks, params, pin), {}).setdefault(executor, {})[workers] = run
    return groups


def group_title(g):
    workload, tasks, params, pin = g
    bits = [f"{tasks} tasks"] + ([params] if params else []) + ([f"pin {pin}"] if pin else [])
    return f"{workload} ({', '.join(bits)})"


def matplotlib_ticker():
    import matplotlib.ticker
    return matplotlib.ticker


def empty_figure(plt, title, message, banner=None):
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.set_axis_off()
    ax.set_title(headline(title, banner))
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
    fig.tight_layout()  # a two-line title stays inside the figure
    return fig


def overview(plt, runs, source, banner=None):
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
        if max(medians) > 30 * max(min(medians), 1e-12):
            ax.set_yscale("log")
            # plain numbers at 1-2-5 steps: a log axis with one label per decade
            # leaves a short span (2 to 80 ms) with a single "10^1" to read by
            ticker = matplotlib_ticker()
            ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
            ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.grid(axis="y", alpha=0.3, zorder=0)
        ax.set_title(group_title(g))
        ax.legend(fontsize="small", ncol=min(len(executors) + 1, 5))
    fig.suptitle(headline(f"{title}; bars: median, whiskers: min-max, black: ideal", banner),
                 fontsize=11)
    title_room(fig, banner, footnotes(fig, bound_notes(groups)))
    return fig


def scaling(plt, runs, source, banner=None):
    groups = point_groups(runs)
    title = "Speedup over sequential (higher is better)"
    drawable = {g: by for g, by in groups.items() if "sequential" in by and len(by) > 1}
    if not drawable:
        return empty_figure(plt, title, f"no workload in {source} has a sequential point "
                                        "and another executor to compare", banner)
    fig, axes = plt.subplots(len(drawable), 1, figsize=(9, 3.8 * len(drawable)), squeeze=False)
    for ax, (g, by_exec) in zip(axes[:, 0], drawable.items()):
        seq = min((r.median for r in by_exec["sequential"].values()))
        tasks = g[1] if isinstance(g[1], int) and g[1] > 0 else None
        executors, colour = executor_colours(by_exec)
        ideal, ideal_unbounded = {}, {}

        def at(w):  # "unbounded" plots at the task count: every task in flight
            return tasks if w == 0 and tasks else w

        for e in executors:
            pts = sorted((at(w), seq / r.median) for w, r in by_exec[e].items()
                         if r.median and isinstance(at(w), int) and at(w) > 0)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", color=colour[e],
                        label=e)
            for w, r in by_exec[e].items():  # beyond the bound: ringed and marked "!"
                if r.beyond and r.median and isinstance(at(w), int) and at(w) > 0:
                    ax.plot([at(w)], [seq / r.median], marker="o", markersize=12,
                            markerfacecolor="none", markeredgecolor="#d62728", linestyle="none")
                    ax.annotate("!", (at(w), seq / r.median), xytext=(7, 4),
                                textcoords="offset points", color="#d62728",
                                fontweight="bold")
            for w, r in by_exec[e].items():
                if r.ideal_ns and isinstance(at(w), int) and at(w) > 0:
                    # An unbounded executor's ideal is its own (one thread for
                    # coroutines): a mark at its point, not part of the line.
                    into = ideal_unbounded if w == 0 else ideal
                    into.setdefault(at(w), []).append(seq / r.ideal_ns)
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
        speedups = [seq / r.median for by in by_exec.values() for r in by.values() if r.median]
        if max(speedups) > 20 * max(min(speedups), 1e-12):
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(matplotlib_ticker().ScalarFormatter())
        ax.set_xlabel("workers (unbounded plotted at the task count)" if 0 in
                      {w for by in by_exec.values() for w in by} else "workers")
        ax.set_ylabel("speedup (x)")
        ax.grid(alpha=0.3)
        ax.set_title(group_title(g))
        ax.legend(fontsize="small")
    fig.suptitle(headline(f"{title}: sequential median / median", banner), fontsize=11)
    title_room(fig, banner, footnotes(fig, bound_notes(drawable)))
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
    return "time", f"{short}  [time/iteration]", run.samples or [run.median]


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


def overheads(plt, runs, source, banner=None):
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="an execbench or Google Benchmark JSON document")
    parser.add_argument("--out", help="folder for the figures (default: beside RESULTS, named "
                                      "after it)")
    parser.add_argument("--svg", action="store_true", help="write an SVG beside each PNG")
    parser.add_argument("--max-input-bytes", type=parse_bytes, default=MAX_INPUT_BYTES,
                        metavar="N", help="read at most N bytes (suffix K, M, G; default 1G)")
    args = parser.parse_args(argv)

    try:
        import matplotlib
        matplotlib.use("Agg")  # files only, no display needed
        matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, smaller
        import matplotlib.pyplot as plt
    except ImportError:
        fail(f"matplotlib is missing for {sys.executable}; install python3-matplotlib "
             "(tools/install-deps.sh plot) or run make plot, which finds an interpreter that has it")

    try:
        doc = load(args.results, args.max_input_bytes)
    except BadInput as e:
        fail(str(e))
    banner = interruption(doc)
    if banner:
        print(f"{PROG}: {args.results}: {banner}: the charts hold the points that finished",
              file=sys.stderr)
    runs = gather(doc)
    if not any(r.median is not None for r in runs.values()):
        fail(f"{args.results}: no usable rows (every row failed or has no time)")

    out = args.out or os.path.splitext(args.results)[0]
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        fail(f"{out}: cannot create the folder: {e.strerror}")
    source = os.path.basename(args.results)
    written = []
    for name, make in (("overview", overview), ("scaling", scaling), ("overheads", overheads)):
        fig = make(plt, runs, source, banner)
        for ext in ("png", "svg") if args.svg else ("png",):
            path = os.path.join(out, f"{name}.{ext}")
            try:
                fig.savefig(path, dpi=120)
            except OSError as e:
                fail(f"{path}: cannot write: {e.strerror}")
            written.append(path)
        plt.close(fig)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
