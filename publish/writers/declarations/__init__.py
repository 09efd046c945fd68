"""The options of the writers whose modules import heavy libraries (ebooklib,
WeasyPrint, pikepdf): ``declarations.<writer>`` (``pdf.cover`` as
``pdf_cover``) holds what the writer reads, and the writer re-exports it.

Every command needs every edition's declarations (the flags of ``publish
all``, book.toml's [edition] keys checked for each edition), so they are kept
apart from the writers' code: ``publish txt`` reads them without importing the
EPUB's and the PDF's libraries.  A check that needs the writer's code (a trim
size parsed) imports it when a value is checked.
"""
