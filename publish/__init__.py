"""publish: one Markdown manuscript in, every edition of the book out."""
__version__ = "0.1.0"
