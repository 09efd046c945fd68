"""``html_block``: raw HTML blocks (``<a `` × N, ``<http://`` × N).

Python's ``HTMLParser`` (3.11) reads every ``<`` + letter as a start tag
whose attributes run on to the next ``>``, so each ``<`` read the rest of the
text.  When no ``>``, quote, backtick, comma or NUL follows a ``<``, the tag
cannot be complete and upstream's answer (-1) is given without the scan;
same for ``</`` with no ``>`` after it.
"""

from __future__ import annotations

from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor


class _LinearHTMLExtractor(HTMLExtractor):
    """``HTMLExtractor`` that does not read to the end for a tag that cannot end.

    ``check_for_whole_start_tag`` (``locatestarttagend_tolerant``): a start
    tag's attributes are names and bare values that run over anything but
    ``>``, a backtick, a quote, NUL or a comma after a value (white space and
    ``/`` only separate them), so from a ``<`` after which none of those five
    occurs the match reaches the end of the text, and upstream returns -1
    (incomplete).  A comma counts only where a value can come before it: when
    no ``=`` or no comma follows the ``<``, commas are left out (checked
    against upstream on random tag soup in tests/test_linear.py).
    An end tag needs a ``>`` (``endendtag``): without one upstream's parser
    returns -1, which ``_HTMLParser.parse_endtag`` makes two characters of
    text.
    """

    def reset(self) -> None:
        super().reset()
        self._scanned: str | None = None
        self._last_hard = self._last_eq = self._last_comma = -1
        self._last_gt = -1

    def _stops(self) -> None:
        rawdata = self.rawdata
        if rawdata is not self._scanned:
            self._scanned = rawdata
            self._last_gt = rawdata.rfind(">")
            self._last_hard = max(self._last_gt, rawdata.rfind("`"), rawdata.rfind('"'),
                                  rawdata.rfind("'"), rawdata.rfind("\x00"))
            # A comma stops the match only after an attribute's value, so only
            # when an "=" and a comma both follow the "<" (``<a, `` × N has none).
            self._last_eq = rawdata.rfind("=")
            self._last_comma = rawdata.rfind(",")

    def check_for_whole_start_tag(self, i: int) -> int:
        self._stops()
        if i > self._last_hard and (i > self._last_eq or i > self._last_comma):
            return -1
        return super().check_for_whole_start_tag(i)

    def parse_endtag(self, i: int) -> int:
        self._stops()
        if i > self._last_gt:
            self.handle_data(self.rawdata[i:i + 2])
            return i + 2
        return super().parse_endtag(i)


class LinearHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    """``html_block`` with ``_LinearHTMLExtractor``."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        parser = _LinearHTMLExtractor(self.md)
        parser.feed(source)
        parser.close()
        return "".join(parser.cleandoc).split("\n")
