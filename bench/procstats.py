"""CPU time and peak memory of a process and its children, from /proc (Linux)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List

TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> List[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children")
        if children.exists():
            found += [int(c) for c in children.read_text().split()]
    return found


def tree(pid: int) -> List[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def snapshot(pid: int) -> Dict[str, float]:
    """{"cpu_seconds": user+system so far, "peak_rss_mb": the high-water mark} over the tree."""
    cpu, peak = 0.0, 0.0
    for each in tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICKS
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak += int(line.split()[1]) / 1024
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return {"cpu_seconds": cpu, "peak_rss_mb": peak}
