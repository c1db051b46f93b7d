"""Turns the measurements of scripts/bench-peers into Markdown tables.

    python3 report.py WORK_DIR

WORK_DIR holds what the script wrote:

- results.tsv: table, group, key, label, docs, bytes, ns, instructions per
  document (empty when not counted), note; one row per tool;
- memory.tsv: command, size label, bytes, docs, max RSS in KiB;
- meta.tsv: key, value (machine, versions, settings);
- notes.txt: one note a line, printed as a list under the tables.

Prints the validation table, the mapping table, the targets of issue 11 with
what was measured against each, the --jobs 2 scaling table (from
scaling.tsv: label, jobs, ns, user s, system s) and the memory table. Standard library only.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import OrderedDict
from pathlib import Path


def read_tsv(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return [row for row in csv.reader(f, delimiter="\t") if row]


def per_doc(ns: float) -> str:
    us = ns / 1000
    if us >= 1000:
        return f"{us / 1000:.3g} ms"
    if us >= 100:
        return f"{us:.0f} µs"
    return f"{us:.3g} µs"


def ratio(x: float) -> str:
    return f"{x:.1f}×" if x < 100 else f"{x:.0f}×"


def count(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.2f} M"
    if n >= 1e3:
        return f"{n / 1e3:.0f} k"
    return f"{n:.0f}"


def size(b: float) -> str:
    if b >= 1e9:
        return f"{b / 1e9:.2f} GB"
    if b >= 1e6:
        return f"{b / 1e6:.0f} MB"
    return f"{b / 1e3:.1f} KB"


class Row:
    def __init__(self, fields: list[str]):
        self.table, self.group, self.key, self.label = fields[:4]
        self.docs = int(fields[4])
        self.bytes = int(fields[5])
        self.ns = int(fields[6])
        self.instr = float(fields[7]) if fields[7] else None
        self.note = fields[8] if len(fields) > 8 else ""

    @property
    def ns_per_doc(self) -> float:
        return self.ns / self.docs

    @property
    def mb_per_s(self) -> float:
        return self.bytes / (self.ns / 1e9) / 1e6


def table(rows: list[Row], first_column: str, floor_key: str = "floor") -> list[str]:
    out = [
        f"| {first_column} | tool | per doc | × floor (time) | instructions/doc | × floor (instr.) | MB/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    groups: OrderedDict[str, list[Row]] = OrderedDict()
    for r in rows:
        groups.setdefault(r.group, []).append(r)
    for group, members in groups.items():
        floor = next((r for r in members if r.key == floor_key), None)
        for i, r in enumerate(members):
            t_ratio = ratio(r.ns_per_doc / floor.ns_per_doc) if floor else "—"
            if r.instr is not None:
                i_text = count(r.instr)
                i_ratio = ratio(r.instr / floor.instr) if floor and floor.instr else "—"
            else:
                i_text = i_ratio = "—"
            label = r.label + (f" ({r.note})" if r.note else "")
            first = group if i == 0 else ""
            out.append(
                f"| {first} | {label} | {per_doc(r.ns_per_doc)} | {t_ratio} | {i_text} | {i_ratio} | {r.mb_per_s:.0f} |"
            )
    return out


def targets(rows: list[Row]) -> list[str]:
    by = {(r.table, r.group, r.key): r for r in rows}
    out = ["| target (issue 11) | measured | met |", "| --- | --- | --- |"]

    def within(table_: str, group: str, key: str, limit: float, what: str) -> None:
        r, f = by.get((table_, group, key)), by.get((table_, group, "floor"))
        if not (r and f):
            return
        t = r.ns_per_doc / f.ns_per_doc
        text = f"{ratio(t)} in time"
        met = t <= limit
        if r.instr is not None and f.instr:
            i = r.instr / f.instr
            text += f", {ratio(i)} in instructions"
            met_i = i <= limit
            verdict = "yes" if met and met_i else ("in instructions only" if met_i else ("in time only" if met else "no"))
        else:
            verdict = "yes" if met else "no"
        out.append(f"| {what} within {limit:g}× floor | {text} | {verdict} |")

    def faster(table_: str, group: str, key: str, peer: str, factor: float, what: str) -> None:
        r, p = by.get((table_, group, key)), by.get((table_, group, peer))
        if not (r and p):
            return
        x = p.ns_per_doc / r.ns_per_doc
        need = f"≥ {factor:g}× faster than" if factor > 1 else "faster than"
        out.append(
            f"| {what} {need} {p.label} | {ratio(x) if x >= 1 else f'{1 / x:.1f}× slower'}"
            f" ({per_doc(r.ns_per_doc)} vs {per_doc(p.ns_per_doc)}) | {'yes' if x >= factor else 'no'} |"
        )

    for r in rows:
        if r.table == "mapping" and r.key == "floor":
            g = r.group
            within("mapping", g, "from", 5, "Stripe invoice → canonical (`map --from`)")
            within("mapping", g, "to", 7, "canonical → Stripe (`map --to`)")
            faster("mapping", g, "from", "jq", 1, "`map --from`")
            faster("mapping", g, "from", "jsonata", 1, "`map --from`")
    for r in rows:
        if r.table == "validation" and r.key == "floor":
            g = r.group
            name = g.split(" ")[0]
            within("validation", g, "cli", 2.5, f"`validate` {name}")
            faster("validation", g, "cli", "pydantic", 5, f"`validate` {name}")
            faster("validation", g, "cli", "ajv", 3, f"`validate` {name}")
    return out


def scaling(rows: list[list[str]]) -> tuple[list[str], list[tuple[str, float]]]:
    """The --jobs 2 / --jobs 1 table, and each command's median pair ratio."""
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for label, jobs, ns, user, system in rows:
        runs.setdefault(label, {}).setdefault(jobs, []).append((float(ns), float(user) + float(system)))
    out = [
        "| command | `--jobs 1` | `--jobs 2` | throughput × (median of pairs) | CPU used, `--jobs 2` |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    ratios: list[tuple[str, float]] = []
    for label, by_jobs in runs.items():
        one, two = by_jobs.get("1", []), by_jobs.get("2", [])
        if not (one and two):
            continue
        pair = statistics.median(a[0] / b[0] for a, b in zip(one, two))
        cpu = statistics.median(b[1] / (b[0] / 1e9) for b in two)
        ratios.append((label, pair))
        out.append(
            f"| {label} | {statistics.median(a[0] for a in one) / 1e9:.2f} s"
            f" | {statistics.median(b[0] for b in two) / 1e9:.2f} s | {pair:.2f}× | {cpu * 100:.0f} % |"
        )
    return out, ratios


def memory(rows: list[list[str]]) -> list[str]:
    out = ["| command | input | documents | max RSS |", "| --- | ---: | ---: | ---: |"]
    for command, _label, nbytes, docs, rss_kib in rows:
        out.append(f"| `{command}` | {size(int(nbytes))} | {int(docs):,} | {int(rss_kib) / 1024:.1f} MiB |")
    return out


def main() -> int:
    work = Path(sys.argv[1])
    rows = [Row(r) for r in read_tsv(work / "results.tsv")]
    meta = dict((r[0], r[1]) for r in read_tsv(work / "meta.tsv"))
    mem = read_tsv(work / "memory.tsv")

    lines: list[str] = []
    add = lines.append
    add(f"Measured by `{meta.get('command', 'scripts/bench-peers')}` on {meta.get('date', '?')}, "
        f"crate at {meta.get('revision', '?')}: {meta.get('machine', '?')}.")
    add("")
    add(f"Tools: {meta.get('tools', '?')}.")
    add("")
    add(f"**Validation**, {int(meta.get('n', '0')):,} copies of one example per file, one compact document a line"
        " (each row's own median of "
        f"{meta.get('runs', '?')} run{'' if meta.get('runs') == '1' else 's'}; instructions from callgrind, the difference between "
        f"{int(meta.get('callgrind_n', '0')):,} and {2 * int(meta.get('callgrind_n', '0')):,} documents, divided by "
        f"{int(meta.get('callgrind_n', '0')):,}):")
    add("")
    lines.extend(table([r for r in rows if r.table == "validation"], "entity (one line, example)"))
    add("")
    add(f"**Mapping**, {int(meta.get('map_n', '0')):,} copies of the Stripe invoice fixture "
        f"`{meta.get('stripe_fixture', '?')}` per file (the way back reads what `map --from` wrote):")
    add("")
    lines.extend(table([r for r in rows if r.table == "mapping"], "input (one line)"))
    add("")
    add("**Targets** (the Rust side in time and, where counted, in instructions):")
    add("")
    scale = read_tsv(work / "scaling.tsv") if (work / "scaling.tsv").exists() else []
    scale_table, scale_ratios = scaling(scale)
    lines.extend(targets(rows))
    for label, x in scale_ratios:
        add(f"| {label} with `--jobs 2` on 2 cores ≥ 1.7× the one-core throughput | {x:.2f}× | {'yes' if x >= 1.7 else 'no'} |")
    if scale_ratios:
        add("")
        add(f"**Every core**: `--jobs 1` and `--jobs 2` run back to back, {meta.get('pairs', '?')} pair{'' if meta.get('pairs') == '1' else 's'} per command"
            " (wall time, start-up included, medians; the ratio is the median of the pairs' ratios, each pair"
            " run while the machine's load was about the same):")
        add("")
        lines.extend(scale_table)
    if mem:
        add("")
        add("**Peak memory** (`/usr/bin/time -v`, maximum resident set size) of the streaming commands:")
        add("")
        lines.extend(memory(mem))
    notes = (work / "notes.txt").read_text(encoding="utf-8").splitlines() if (work / "notes.txt").exists() else []
    if notes:
        add("")
        add("Notes:")
        add("")
        lines.extend(f"- {n}" for n in notes if n.strip())
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
