"""The class, id and attribute names the reader's stages hand each other.

Python-Markdown's footnote extension (configured in ``markdown.make_markdown``)
and our tree processors write these into the element tree; ``sanitize`` lets
them through and ``build`` reads them back into the model.  Changing one here
changes every stage at once.
"""

from __future__ import annotations

#: A dialogue turn: ``<div class="dialogue" data-speaker="记者">``.
DIALOGUE_CLASS = "dialogue"
SPEAKER_ATTR = "data-speaker"

#: Python-Markdown's footnote markup, with ``SEPARATOR = NOTE_SEPARATOR``:
#: the list ``<div class="footnote">`` of ``<li id="fn-LABEL">``, each call a
#: ``<sup><a class="footnote-ref" href="#fn-LABEL">`` and each back-link an
#: ``<a class="footnote-backref">``.
NOTE_SEPARATOR = "-"
NOTE_ID_PREFIX = "fn" + NOTE_SEPARATOR
NOTE_REF_ID_PREFIX = "fnref"
NOTE_LIST_CLASS = "footnote"
NOTE_REF_CLASS = "footnote-ref"
NOTE_BACKREF_CLASS = "footnote-backref"

#: A TeX formula (``reader.formulas``), as pandoc's HTML writes one:
#: ``<span class="math inline">``, ``<span|div class="math display">``.
MATH_CLASS = "math"

#: Emphasis dots (着重号), as an author writes them: ``<em class="dot">``.
DOT_CLASS = "dot"

#: A task-list item (``pymdownx.tasklist``'s class) and, when checked, the
#: class ``syntax.TaskItemsTreeprocessor`` adds: ``<li class="task-list-item task-done">``.
TASK_CLASS = "task-list-item"
TASK_DONE_CLASS = "task-done"
#: An admonition (``!!! note``, GitHub's ``> [!NOTE]``): ``<div class="admonition
#: KIND">`` whose first child may be its title, ``<p class="admonition-title">``.
ADMONITION_CLASS = "admonition"
ADMONITION_TITLE_CLASS = "admonition-title"
#: A heading's class (``{.unnumbered}``, pandoc's ``{-}``): a chapter without a number
#: (front or back matter at either end of the book, ``matter.place``);
#: ``{.numbered}``: a chapter of the body whatever its title says.
UNNUMBERED_CLASS = "unnumbered"
NUMBERED_CLASS = "numbered"
#: A quotation's attribution (``——佚名`` on its last line), marked by
#: ``treeprocessors.AttributionTreeprocessor``: ``<p class="attribution">``,
#: the last child of its ``<blockquote>``.
ATTRIBUTION_CLASS = "attribution"
