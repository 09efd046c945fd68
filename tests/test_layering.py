"""Data flows one way: an AST scan of every module's imports keeps it so."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "publish"

# module -> the package modules it may import (see STYLE.md "Allowed imports").
ALLOWED: dict[str, set[str]] = {
    "model": {"model.inlines", "model.blocks", "model.book", "model.text", "model.pages"},
    "model.pages": {"model.blocks", "model.book"},
    "model.inlines": set(),
    "model.blocks": {"model.inlines"},
    "model.book": {"model.inlines", "model.blocks"},
    "model.text": {"model.inlines", "model.blocks", "model.book"},
    "dump": {"model"},
    "typography": set(),
    "variants": {"model", "typography"},
    "profiles": set(),
    "wrapping": {"typography"},
    "errors": set(),
    "options": {"errors"},
    "inputs": {"errors"},
    "labels": set(),
    "highlight": {"options"},
    "formula": set(),
    "numbers": set(),
    "languages": {"model"},
    "images": {"errors", "inputs", "media", "svg", "raster"},
    "log": set(),
    "files": {"errors"},
    "media": {"svg", "png"},
    "svg": set(),
    "png": set(),
    "raster": {"media", "png"},
    "fonts": {"errors", "options"},
    "fontcss": {"fonts", "themes"},
    "themes": {"errors", "inputs", "media"},
    # reader/: a package by stage, each stage importing only those before it.
    "reader.names": set(),
    "reader.sanitize": {"reader.names"},
    "reader.stashed": {"reader.sanitize"},
    "reader.linear": {"reader.linear.blocks", "reader.linear.delimiters", "reader.linear.html",
                      "reader.linear.inline", "reader.linear.notes", "reader.linear.patterns"},
    "reader.linear.blocks": set(),
    "reader.linear.delimiters": set(),
    "reader.linear.html": set(),
    "reader.linear.notes": {"reader.names"},
    "reader.linear.patterns": set(),
    "reader.linear.inline": {"reader.linear.delimiters", "reader.linear.notes",
                             "reader.linear.patterns"},
    "reader.summary": {"errors", "inputs", "log", "reader.decoding"},
    "reader.includes": {"errors", "inputs", "reader.decoding"},
    "reader.preprocessors": {"reader.includes"},
    "reader.formulas": {"reader.names"},
    "reader.treeprocessors": {"typography", "reader.names"},
    "reader.syntax": {"typography", "reader.names"},
    "reader.punctuation": {"typography", "reader.names"},
    "reader.markdown": {"reader.preprocessors", "reader.treeprocessors", "reader.sanitize",
                        "reader.stashed",
                        "errors", "reader.linear", "reader.names", "reader.syntax",
                        "reader.formulas", "reader.punctuation"},
    "reader.sourcetree": {"log", "reader.sanitize", "reader.summary"},
    "reader.matter": {"model"},
    "reader.headings": {"reader.sanitize", "reader.sourcetree", "reader.matter", "reader.names"},
    "reader.structure": {"model"},
    "reader.targets": {"errors", "images", "log", "media", "reader.headings", "reader.sanitize",
                       "reader.sourcetree"},
    "reader.notes": {"model", "reader.names", "reader.sanitize", "reader.sourcetree",
                     "reader.structure"},
    "reader.inlines": {"model", "typography", "reader.headings", "reader.names",
                       "reader.sanitize"},
    "reader.build": {"model", "labels", "typography", "formula", "reader.headings", "reader.inlines",
                     "reader.matter",
                     "reader.names", "reader.notes", "reader.sanitize", "reader.sourcetree",
                     "reader.structure", "reader.targets", "reader.language", "numbers"},
    "reader.language": {"log", "typography", "reader.sanitize"},
    "reader.configuration": {"errors", "inputs", "log", "numbers"},
    "reader.metadata": {"model", "errors", "inputs", "log", "media", "typography", "variants",
                        "reader.configuration", "labels", "reader.language"},
    "reader.decoding": {"errors", "inputs", "log", "typography", "reader.configuration"},
    "reader": {"model", "reader.build", "reader.markdown", "reader.sanitize",
               "reader.configuration", "reader.metadata", "reader.decoding", "reader.headings",
               "reader.sourcetree", "reader.summary", "errors", "reader.language",
               "reader.matter"},
    "outline": {"model", "typography", "log"},
    "xhtml": {"xhtml.pages", "model", "labels", "options", "numbers", "languages", "xhtml.content"},
    "xhtml.content": {"model", "typography", "labels", "numbers", "highlight", "formula",
                      "languages"},
    "writers.txt": {"model", "typography", "wrapping", "errors", "log", "files", "labels",
                    "options"},
    "writers.epub": {"xhtml.pages", "writers.epub.pagelist", "model", "xhtml", "errors", "log", "files", "fonts", "fontcss", "media",
                     "highlight", "formula",
                     "themes", "labels", "options", "images", "writers.epub.accessibility",
                     "languages",
                     "writers.epub.cover", "writers.epub.vertical", "writers.declarations.epub"},
    "writers.epub.accessibility": {"model"},
    "writers.epub.pagelist": {"xhtml"},
    "writers.pdf.pagemap": {"model", "numbers", "xhtml.pages"},
    "xhtml.pages": {"xhtml.content"},
    "pagemap": {"model", "files"},
    "writers.epub.vertical": {"writers.declarations.epub"},
    "writers.declarations": set(),
    "writers.declarations.epub": {"fonts", "highlight", "options", "xhtml"},
    "writers.declarations.pdf": {"errors", "fonts", "highlight", "options", "profiles", "xhtml"},
    "writers.declarations.pdf_cover": {"options", "writers.declarations.pdf"},
    "writers.epub.cover": {"model", "fonts", "coverart"},
    "coverart": {"model", "fonts", "labels", "wrapping"},
    "writers.pdf": {"pagemap", "writers.pdf.pagemap", "model", "xhtml", "errors", "log", "files", "fonts", "fontcss", "themes",
                    "writers.pdf.weasy", "writers.pdf.weasy.justify", "writers.pdf.overflow", "writers.pdf.geometry",
                    "writers.pdf.glyphs", "writers.pdf.fetch", "writers.pdf.document", "options",
                    "profiles",
                    "writers.pdf.cascade", "labels", "languages", "highlight",
                    "writers.pdf.codefit", "writers.pdf.press", "writers.pdf.assembly",
                    "writers.pdf.parallel", "writers.declarations.pdf"},
    "writers.pdf.assembly": {"model", "errors", "labels", "log", "pagemap", "writers.pdf.merge",
                             "writers.pdf.overflow", "writers.pdf.parallel", "writers.pdf.press",
                             "writers.pdf.weasy", "writers.pdf.document", "writers.pdf.fetch",
                             "writers.pdf.pagemap", "writers.pdf.unitcache",
                             "writers.pdf.weasy.justify"},
    "writers.pdf.unitcache": {"log", "writers.pdf.parallel"},
    "writers.pdf.merge": {"errors", "writers.pdf.weasy.units", "writers.pdf.structure"},
    "writers.pdf.structure": set(),
    "writers.pdf.parallel": {"errors", "writers.pdf.merge", "writers.pdf.weasy.units",
                             "writers.pdf.fetch", "writers.pdf.refolio"},
    "writers.pdf.refolio": {"writers.pdf.weasy.units"},
    "writers.pdf.weasy.units": set(),
    "writers.pdf.press": {"errors", "log", "options", "profiles", "writers.pdf.geometry",
                          "writers.pdf.weasy.cmyk", "writers.declarations.pdf"},
    "writers.pdf.cascade": {"log", "themes", "writers.pdf.geometry"},
    "writers.pdf.document": {"xhtml.pages", "model", "xhtml", "typography", "files", "themes", "fonts",
                             "writers.pdf.fetch", "highlight", "log", "writers.pdf.formulas",
                             "wrapping", "writers.pdf.codefit", "writers.pdf.tables",
                             "writers.pdf.geometry"},
    "writers.pdf.codefit": set(),
    "writers.pdf.cover": {"model", "coverart", "errors", "files", "fonts", "log", "options",
                          "profiles", "writers.pdf", "writers.pdf.geometry",
                          "writers.pdf.press", "typography", "writers.declarations.pdf_cover"},
    "writers.pdf.tables": {"model", "errors", "fonts", "typography"},
    "writers.pdf.formulas": {"formula", "fonts", "xhtml", "writers.pdf.fetch"},
    "writers.pdf.overflow": {"model", "log", "writers.pdf.locate"},
    "writers.pdf.locate": {"model"},
    "writers.pdf.geometry": {"errors", "themes", "profiles", "writers.declarations.pdf"},
    "writers.pdf.glyphs": {"model", "errors", "fonts", "log", "typography",
                           "writers.pdf.formulas"},
    "writers.pdf.fetch": {"errors", "inputs", "images", "media", "raster", "log"},
    "writers.pdf.weasy": {"errors", "writers.pdf.weasy.justify", "writers.pdf.weasy.fontdata",
                          "writers.pdf.weasy.speedups", "writers.pdf.weasy.footnotes",
                          "writers.pdf.weasy.lengths", "writers.pdf.weasy.tagging",
                          "writers.pdf.weasy.units"},
    "writers.pdf.weasy.justify": {"fonts", "typography", "writers.pdf.weasy.speedups"},
    "writers.pdf.weasy.fontdata": {"errors"},
    "writers.pdf.weasy.footnotes": {"errors"},
    "writers.pdf.weasy.speedups": {"errors"},
    "writers.pdf.weasy.lengths": set(),
    "writers.pdf.weasy.tagging": set(),
    "writers.pdf.weasy.cmyk": {"writers.pdf.weasy"},
    "writers": {"model", "writers.txt", "writers.epub", "writers.pdf", "options", "profiles"},
    "manifest": {"model", "errors", "files", "inputs"},
    "starter": {"errors", "options", "reader.configuration", "themes", "typography"},
    "cli": {"__init__", "writers", "errors", "log", "outline", "manifest", "starter",
            "cli.building", "cli.production", "cli.console", "cli.stack", "cli.lint",
            "cli.watching"},
    "cli.watching": {"cli", "files", "log", "writers", "cli.building", "cli.console"},
    "cli.lint": {"lint", "log", "cli.building", "cli.console"},
    "lint": {"errors", "files", "log", "reader.configuration", "reader.language",
             "lint.punctuation", "lint.spacing", "lint.sources", "lint.variants"},
    "lint.punctuation": {"typography"},
    "lint.spacing": {"typography", "lint.punctuation"},
    "lint.variants": {"lint.punctuation"},
    "lint.sources": {"errors", "inputs", "reader.configuration", "reader.decoding",
                     "reader.preprocessors", "reader.summary", "typography"},
    "cli.building": {"pagemap", "reader", "writers", "errors", "log", "model", "themes", "manifest",
                     "variants",
                     "files", "options", "cli.console"},
    "cli.production": {"writers", "log", "model", "manifest", "files", "profiles", "check",
                       "cli.building", "cli.console"},
    "check": {"model", "profiles", "variants", "check.pdf", "check.epub", "check.across"},
    "check.pdf": {"profiles", "check.placement"},
    "check.placement": set(),
    "check.epub": {"profiles"},
    "check.across": {"check.epub"},
    "cli.console": {"errors", "log"},
    "cli.stack": set(),
    "__init__": {"model", "reader", "writers"},
    "__main__": {"cli"},
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(parts: list[str]) -> str:
    """Dotted name of the package module ``parts`` names ("" is the package itself)."""
    while parts and not ((PACKAGE.joinpath(*parts).with_suffix(".py")).exists()
                         or PACKAGE.joinpath(*parts).is_dir()):
        parts = parts[:-1]  # an attribute, not a module: its module is what counts
    return ".".join(parts) or "__init__"


def package_imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports, as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(PACKAGE).parent.parts)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            base += node.module.split(".") if node.module else []
            found.update(_resolve(base + [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "publish":
            base = node.module.split(".")[1:]
            found.update(_resolve(base + [alias.name]) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(_resolve(a.name.split(".")[1:]) for a in node.names
                         if a.name.split(".")[0] == "publish")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_listed():
    assert {module_name(p) for p in MODULES} == set(ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_imports_follow_the_layering(path):
    name = module_name(path)
    extra = package_imports(path) - ALLOWED[name] - {name}
    assert not extra, f"{name} may not import {sorted(extra)}"


def test_no_import_cycle():
    """The modules' imports form no cycle (a package's __init__ importing its own
    modules aside: Python imports a package before its modules)."""
    graph = {module_name(p): package_imports(p) - {module_name(p)} for p in MODULES}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = path[path.index(name):] + (name,)
            raise AssertionError(" -> ".join(cycle))
        if name in done:
            return
        for imported in graph.get(name, ()):
            if not name.startswith(imported + ".") and imported != "__init__":
                visit(imported, path + (name,))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_no_writer_imports_another_writer_reader_or_cli():
    for path in (PACKAGE / "writers").rglob("*.py"):
        if path == PACKAGE / "writers" / "__init__.py":
            continue
        writer = module_name(path).split(".")[1]  # writers.pdf.weasy.justify -> pdf
        imported = package_imports(path)
        # a writer's own declarations (writers/declarations/<writer>[_part].py)
        own = f"writers.declarations.{writer}"
        others = {i for i in imported if i.startswith("writers")
                  and i.split(".")[1:2] != [writer] and i != own and not i.startswith(own + "_")}
        assert not others, f"{module_name(path)} imports {sorted(others)}"
        assert not {i for i in imported if i == "reader" or i.startswith("reader.")}
        assert "cli" not in imported


def test_weasyprint_is_extended_only_under_writers_pdf():
    """Only the PDF writer's package reaches into WeasyPrint."""
    for path in MODULES:
        if module_name(path).startswith("writers.pdf"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            assert not any(name.split(".")[0] in ("weasyprint", "pydyf") for name in names), (
                f"{module_name(path)} imports {names}")


def test_only_cli_prints_or_exits():
    for path in MODULES:
        if module_name(path).split(".")[0] in ("cli", "__main__"):  # the cli package
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "quit"), (path, node.lineno)
            if isinstance(node, ast.Attribute) and node.attr in ("echo", "exit", "secho"):
                assert getattr(node.value, "id", "") not in ("click", "sys"), (path, node.lineno)
