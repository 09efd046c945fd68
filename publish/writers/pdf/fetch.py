"""What WeasyPrint may read: the theme's checked files and the manuscript's
files that pass the input gate; the manuscript's images prepared for print
(SVGs cleaned, rasters resampled), and an image WeasyPrint fails on made an
error of the build.  The one other URL it may read is a formula's SVG, which
the print renderer writes as a ``data:`` URL (``formulas``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from ...errors import PrintError
from ...inputs import InputError, check_input

#: The start of a formula's URL (``formulas.image``): no file, nothing outside.
SVG_URL = "data:image/svg+xml;base64,"

# --- WeasyPrint -----------------------------------------------------------------------


def _fetcher(root: Path, theme_files: frozenset[Path], refused: list[str],
             images: _PrintImages | None = None):
    """A WeasyPrint URL fetcher that reads the theme's files (those
    ``themes.load_theme`` checked) and files of the manuscript that pass the
    input gate (regular, inside, under the size limit), and refuses the rest;
    manuscript images come through ``images`` (SVGs rewritten, rasters
    resampled for print)."""
    from weasyprint.urls import URLFetcher

    def readable(path: Path) -> bool:
        if path in theme_files:
            return True
        try:
            check_input(path, [root], "file", "image")
        except InputError:
            return False
        return True

    class ContainedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(SVG_URL):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if readable(path):
                    served = images.serve(path, url) if images is not None else None
                    if served is not None:
                        return served
                    return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"publish does not fetch {url[:80]}")

    return ContainedFetcher()


# --- images --------------------------------------------------------------------------


def _image_url(src: str) -> str:
    """The URL of a manuscript image (a path relative to the root, as the model
    holds it) in the print document: percent-encoded, so ``my pic.png`` or
    ``a#1.png`` is that file."""
    return quote(src, safe="/")


class _PrintImages:
    """The manuscript's images as WeasyPrint gets them: an SVG rewritten
    (``images.clean_svg``: nothing remote, no scripts, bounded), a raster
    image resampled to 300 dpi at its placed size (150 for the screen) and in
    a mode WeasyPrint draws (``raster.print_copy``), the copies in a
    temporary directory, never in the manuscript.  While the PDF is made,
    WeasyPrint's log is watched: an image it fails on is an error of the
    build (``check``), not a log line."""

    def __init__(self, root: Path, max_width: float, dpi: int, convert=None):
        import tempfile

        #: ``convert(image, folder) -> copy``: each raster image made over (CMYK for PDF/X-1a).
        self.convert = convert

        self.root = root
        self.max_width = max_width
        self.dpi = dpi
        self.copies: dict[Path, Path | None] = {}
        self.temp = tempfile.TemporaryDirectory(prefix="publish-images-")
        self.failures: list[tuple[str, str]] = []
        self.logger = logging.getLogger("weasyprint")
        self.handler = _FailureHandler(self.failures)
        self.logger.addHandler(self.handler)

    def serve(self, path: Path, url: str):
        """The response for a manuscript image, or None to read the file as it is."""
        from weasyprint.urls import URLFetcherResponse

        from ...images import ImageProblem, clean_svg
        from ...media import SVG, media_type
        from ...raster import print_copy

        if not path.is_relative_to(self.root):
            return None
        kind = media_type(path)
        if kind == SVG:
            try:
                data = clean_svg(path, [self.root], lambda real, _: real.as_uri()).data
            except ImageProblem as e:
                raise PrintError(f"image {self._name(path)!r}: {e}", path) from None
            return URLFetcherResponse(url, data, {"Content-Type": SVG})
        if kind is None:
            return None
        if path not in self.copies:
            self.copies[path] = print_copy(path, self.max_width, self.dpi, Path(self.temp.name))
            if self.convert is not None:
                self.copies[path] = self.convert(self.copies[path] or path, Path(self.temp.name))
        copy = self.copies[path]
        if copy is None:
            return None
        # A file URL: WeasyPrint reads the copy again when it writes the PDF
        # instead of keeping its bytes.
        kind = "image/jpeg" if copy.suffix == ".jpg" else "image/png"
        return URLFetcherResponse(copy.as_uri(), copy.open("rb"), {"Content-Type": kind})

    def _name(self, path: Path) -> str:
        inside = path.is_relative_to(self.root)
        return path.relative_to(self.root).as_posix() if inside else str(path)

    def close(self) -> None:
        """Stop watching the log and remove the copies."""
        self.logger.removeHandler(self.handler)
        self.temp.cleanup()

    def check(self) -> None:
        """Stop watching the log and remove the copies; an image WeasyPrint
        failed on is a ``PrintError`` naming it."""
        self.close()
        for url, message in self.failures:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)) if parsed.scheme == "file" else None
            if url and (path is None or not path.is_relative_to(self.root)):
                continue  # a theme's URL the fetcher refused: a warning of its own
            if not url:
                raise PrintError(f"an image could not be drawn in the PDF ({message})")
            name = self._name(path) if path is not None else url[:80]
            raise PrintError(f"image {name!r} could not be drawn in the PDF ({message})",
                             path if path is not None else None)


class _FailureHandler(logging.Handler):
    """Keeps WeasyPrint's complaints about images: (URL, message)."""

    def __init__(self, failures: list[tuple[str, str]]):
        super().__init__(logging.WARNING)
        self.failures = failures

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "image" in message.lower() and (record.levelno >= logging.ERROR
                                           or "image mode" in message):
            url = next((a for a in record.args or () if isinstance(a, str) and ":" in a), "")
            self.failures.append((url, message))

