"""``publish lint``: the punctuation and spacing of a Chinese manuscript
checked against GB/T 15834-2011 and W3C clreq, on the source files as
written, each finding with its file, line and column; ``fix`` rewrites them.

``RULES`` is the one table of rules (name, what it checks, severity,
whether ``--fix`` applies it), each rule a function in ``punctuation``,
``spacing`` or ``variants``; ``sources`` finds the files and masks what
lint must not read (code, URLs, link targets, HTML, math, another
``lang``).  book.toml's ``[lint]`` table turns rules off (``off``) and
sets the Han–Latin ``spacing`` policy.  Nothing here prints.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, did_you_mean
from ..files import atomic_write
from ..log import LOGGER
from ..reader.configuration import config_path, line_of_key
from ..reader.language import detect_language
from . import punctuation as p
from . import spacing as s
from .sources import Source, manuscript_sources
from .variants import conversion_points

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    name: str
    checks: str
    severity: str
    fixable: bool
    find: Callable[[str, p.Style], Iterator[p.Hit]]


RULES: dict[str, Rule] = {rule.name: rule for rule in (
    Rule("halfwidth-punctuation", "half-width , . ? : ; ! ( ) in Chinese text", ERROR, True,
         p.halfwidth_punctuation),
    Rule("fullwidth-stop", "．(U+FF0E) used as the full stop 。", ERROR, True, p.fullwidth_stop),
    Rule("straight-quotes", "straight \" and ' in Chinese text", ERROR, True, p.straight_quotes),
    Rule("ellipsis", "... 。。。 or a single … for ……", ERROR, True, p.ellipsis),
    Rule("dash", "-- or a single — for ——", ERROR, True, p.dash),
    Rule("unpaired", "brackets and quotation marks not closed, or closed but not opened",
         ERROR, False, p.unpaired),
    Rule("lost-character", "? inside a phrase, where a character was lost (玉在?中)", ERROR,
         False, p.lost_character),
    Rule("fullwidth-alnum", "full-width Latin letters and digits (ＡＢＣ１２３)", WARNING, True,
         s.fullwidth_alnum),
    Rule("mixed-quotes", "“” and 「」 in one book: the less used style", WARNING, True,
         p.mixed_quotes),
    Rule("spacing", "Han–Latin gap against the book's spacing policy", WARNING, True,
         s.spacing),
    Rule("doubled-space", "two or more spaces between Chinese and Latin", WARNING, True,
         s.doubled_space),
    Rule("conversion", "Traditional text: a one-to-many conversion point the context "
         "contradicts (醜/丑, 後/后, 乾/干, 發/髮…)", WARNING, False, conversion_points),
)}
SPACING = ("auto", "space", "none")
LINT_KEYS = {"off": "a list of rule names to turn off",
             "spacing": "the Han–Latin gap: auto (the book's own majority), space or none"}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    column: int
    rule: str
    severity: str
    message: str
    old: str
    new: str | None  # the suggested text; None: none to suggest
    start: int
    end: int
    fixable: bool  # --fix puts ``new`` in


@dataclass
class Report:
    findings: list[Finding]
    sources: list[Source]
    style: p.Style
    path: Path
    encoding: str | None = None


def lint(path: Path, encoding: str | None = None) -> Report:
    """Lint the manuscript at ``path``."""
    config, sources = manuscript_sources(path, encoding)
    off, policy = _settings(config, path)
    style = _style([src.masked for src in sources], policy, config)
    findings = []
    for source in sources:
        for rule in RULES.values():
            if rule.name in off:
                continue
            for hit in rule.find(source.masked, style):
                line, column = source.position(hit.start)
                findings.append(Finding(source.path, line, column, rule.name, rule.severity,
                                        hit.message, source.text[hit.start:hit.end],
                                        hit.new, hit.start, hit.end,
                                        rule.fixable and hit.new is not None))
    findings.sort(key=lambda f: (sources.index(_source(sources, f.path)), f.start, f.rule))
    return Report(findings, sources, style, path, encoding)


def _source(sources: list[Source], path: Path) -> Source:
    return next(source for source in sources if source.path == path)


def _settings(config: Mapping[str, object], path: Path) -> tuple[set[str], str]:
    """book.toml's ``[lint]``: the rules turned off and the spacing policy."""
    table = config.get("lint", {})
    where = config_path(path)
    if not isinstance(table, Mapping):
        raise ConfigError("lint must be a table ([lint])", where, line_of_key(where, "lint"))
    for key in table:
        if key not in LINT_KEYS:
            LOGGER.warning("%s:%s: unknown key %r in [lint]%s (known keys: %s)", where,
                           line_of_key(where, key) or "?", key, did_you_mean(key, LINT_KEYS),
                           ", ".join(LINT_KEYS))
    off = table.get("off", [])
    if isinstance(off, str):  # a header block's `off: spacing, ellipsis`
        off = [name.strip() for name in off.strip("[]").split(",") if name.strip()]
    if not isinstance(off, list) or not all(isinstance(name, str) for name in off):
        raise ConfigError("lint.off must be a list of rule names", where, line_of_key(where, "off"))
    for name in off:
        if name not in RULES:
            raise ConfigError(f"lint.off: no rule {name!r}{did_you_mean(name, RULES)} "
                              f"(rules: {', '.join(RULES)})", where, line_of_key(where, "off"))
    policy = table.get("spacing", "auto")
    if policy not in SPACING:
        raise ConfigError(f"lint.spacing must be one of {', '.join(SPACING)}, not {policy!r}",
                          where, line_of_key(where, "spacing"))
    return set(off), str(policy)


def _style(texts: list[str], policy: str, config: Mapping[str, object]) -> p.Style:
    """What the book decides as a whole: its quotation marks (the more used
    of “ and 「), its gap (the policy, or under ``auto`` the more used), and
    whether it is Traditional (its language, else told from the text)."""
    curly = sum(text.count("“") for text in texts)
    corner = sum(text.count("「") for text in texts)
    language = str(config.get("language") or "") or detect_language(texts).language
    traditional = language.startswith("zh-Hant") or language.lower() in (
        "zh-tw", "zh-hk", "zh-mo")
    quote = "「" if corner > curly or (corner == curly and traditional) else "“"
    if policy == "auto":
        spaced, touching = s.gap_counts(texts)
        gap = " " if spaced > touching else ""
    else:
        gap = " " if policy == "space" else ""
    return p.Style(quote, gap, traditional)


def fix(report: Report, rounds: int = 3) -> dict[Path, str]:
    """Apply the fixable findings to their files (each rewritten atomically, in
    its encoding and line ends) and return each changed file's unified diff.
    A fix can bring out another (``借"通灵".`` is Chinese text only once the
    quotation marks are), so the files are linted again, ``rounds`` times at most."""
    originals = {source.path: source for source in report.sources}
    texts = {source.path: source.text for source in report.sources}
    for _ in range(rounds):
        changed = False
        for source in report.sources:
            text = _applied(source.text, [f for f in report.findings if f.path == source.path])
            if text != source.text:
                atomic_write(source.path, source.encoded(text))
                texts[source.path], changed = text, True
        if not changed:
            break
        report = lint(report.path, report.encoding)
    return {path: "".join(difflib.unified_diff(
        originals[path].text.splitlines(keepends=True), text.splitlines(keepends=True),
        f"a/{path.name}", f"b/{path.name}")) for path, text in texts.items()
        if text != originals[path].text}


def _applied(text: str, findings: list[Finding]) -> str:
    """``text`` with the findings' suggested texts put in (of two that overlap, the later)."""
    last = len(text) + 1
    for finding in sorted(findings, key=lambda f: -f.start):
        if finding.fixable and finding.new is not None and finding.end <= last:
            text = text[:finding.start] + finding.new + text[finding.end:]
            last = finding.start
    return text
