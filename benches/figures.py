#!/usr/bin/env python3
"""The README's benchmark figures, read from criterion's output of one run.

    cargo bench --bench index && cargo bench --bench set
    python3 benches/figures.py            # prints the tables, writes docs/selective.svg

Reads `<target>/criterion/<group>/<function>/<parameter>/new/estimates.json` (the median of
each benchmark; `<target>` is `$CARGO_TARGET_DIR`, else `target` in the repository) and
prints every group as a Markdown table with the ratio of each peer to respat, then plots
selective-reset time against cache size on log axes. Criterion keeps the last result of
every benchmark ever run, so the script says when the results it read were written: results
far apart in time are from different runs. Only the standard library: no plotting package
needed.
"""

import datetime
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRITERION = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve() / "criterion"
# When each result read was written (seconds since the epoch).
READ_AT = []
SVG = ROOT / "docs" / "selective.svg"


def run_dir(group, function, parameter):
    return CRITERION / group / function / parameter.replace("/", "_") / "new"


def median_ns(group, function, parameter):
    """The median time of one benchmark in nanoseconds, or None if it did not run."""
    path = run_dir(group, function, parameter) / "estimates.json"
    if not path.exists():
        return None
    READ_AT.append(path.stat().st_mtime)
    return json.loads(path.read_text())["median"]["point_estimate"]


def elements(group, function, parameter):
    """The elements per iteration the benchmark declared (criterion's throughput), if any."""
    path = run_dir(group, function, parameter) / "benchmark.json"
    if not path.exists():
        return None
    throughput = json.loads(path.read_text()).get("throughput") or {}
    return throughput.get("Elements")


def parameters(group):
    """The parameters a group ran with, over all its functions, in numeric order."""
    found = set()
    for function in (CRITERION / group).glob("*"):
        if function.is_dir() and function.name != "report":
            if (function / "new").is_dir():
                found.add("")
            found.update(p.name for p in function.iterdir() if (p / "new").is_dir())
    return sorted(found, key=lambda p: [int(x) if x.isdigit() else x for x in p.split("_")])


def functions(group):
    return sorted(
        f.name for f in (CRITERION / group).glob("*") if f.is_dir() and f.name != "report"
    )


def shown(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def table(group, per=None):
    """One Markdown table: a row per parameter, a column per function, ratios to respat."""
    if not (CRITERION / group).is_dir():
        return
    names = functions(group)
    names.sort(key=lambda f: (not f.startswith("respat"), f))
    print(f"\n{group}" + (f" ({per})" if per else ""))
    print("| parameter | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for parameter in parameters(group):
        base = median_ns(group, "respat", parameter)
        cells = []
        for name in names:
            ns = median_ns(group, name, parameter)
            cell = shown(ns)
            n = elements(group, name, parameter)
            if ns is not None and n and n > 1:
                cell += f", {shown(ns / n)}/element"
            if ns is not None and base and name != "respat":
                cell += f" ({ns / base:.2g}x)"
            cells.append(cell)
        print(f"| {parameter or '-'} | " + " | ".join(cells) + " |")


def plot():
    """Selective-reset time against cache size, log-log, as an SVG."""
    series = [
        ("index_selective", "linear_scan", "linear scan (Resgate), 0.01% answer", "#c0392b"),
        ("index_selective", "respat", "respat, 0.01% answer", "#2471a3"),
        ("index_selective_fixed", "respat", "respat, answer of 11 to 13 IDs at every size", "#1e8449"),
        ("index_selective", "fst", "fst, 0.01% answer", "#7d3c98"),
    ]
    lines = []
    for group, function, label, colour in series:
        points = []
        for parameter in parameters(group) if (CRITERION / group).is_dir() else []:
            ns = median_ns(group, function, parameter)
            if ns is not None and parameter.isdigit():
                points.append((int(parameter), ns))
        if points:
            lines.append((label, colour, points))
    if not lines:
        print("no index_selective figures: run `cargo bench --bench index` first", file=sys.stderr)
        return
    xs = [x for _, _, pts in lines for x, _ in pts]
    ys = [y for _, _, pts in lines for _, y in pts]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    width, height, left, right, top, bottom = 640, 400, 70, 20, 30, 110

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)

    def py(y):
        return top + (y1 - math.log10(y)) / (y1 - y0) * (height - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">'
        "Selective system.reset: time against cache size (log-log)</text>",
    ]
    for e in range(x0, x1 + 1):
        x = px(10**e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">10^{e}</text>')
    for e in range(y0, y1 + 1):
        y = py(10**e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{shown(10**e)}</text>')
    out.append(
        f'<text x="{(left + width - right) / 2}" y="{height - bottom + 34}" text-anchor="middle">'
        "cached resource IDs</text>"
    )
    for i, (label, colour, points) in enumerate(lines):
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = height - bottom + 52 + 14 * i
        out.append(f'<line x1="{left}" y1="{ly - 4}" x2="{left + 24}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + 30}" y="{ly}">{label}</text>')
    out.append("</svg>")
    SVG.parent.mkdir(exist_ok=True)
    SVG.write_text("\n".join(out) + "\n")
    print(f"\nwrote {SVG.relative_to(ROOT)}")


def main():
    for group, per in [
        ("index_build", "time to insert N IDs"),
        ("index_literal", "one exact look-up"),
        ("index_selective", None),
        ("index_selective_fixed", None),
        ("index_wide", "the whole answer, and per matched ID"),
        ("index_count", "count(pattern), no leaf visited"),
        ("index_reset_many", None),
        ("set_match_resources", "per name"),
        ("set_match_nats", "per name"),
        ("set_match_nats_4_tokens", "per name"),
        ("set_insert", "per operation"),
        ("set_remove", "per operation"),
    ]:
        table(group, per)
    plot()
    if READ_AT:
        when = [datetime.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M") for t in (min(READ_AT), max(READ_AT))]
        hours = (max(READ_AT) - min(READ_AT)) / 3600
        print(f"\nresults written from {when[0]} to {when[1]}", file=sys.stderr)
        if hours > 1:
            print(f"warning: the results span {hours:.1f} hours: some are from an older run", file=sys.stderr)


if __name__ == "__main__":
    main()
