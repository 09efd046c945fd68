"""Edition options: declared once, by the module that reads them.

Each writer declares its options as ``Option`` values in a tuple ``OPTIONS``
(name, type, default, range or choices, help).  From those declarations come
the command line's flags (``cli``), the keys ``[edition]`` in book.toml may
hold, and the merge ``settle``: command line over book.toml over the
default, each value checked (type, range, choices) with an error naming the
flag or book.toml's line.  A writer reads a value with ``OPTION.of(options)``
(None for an option with no default that was not given).
Imports nothing from the package but ``errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .errors import ConfigError, UsageError

_TYPE_NAMES = {str: "text in quotes", int: "a whole number", float: "a number",
               bool: "true or false"}


@dataclass(frozen=True)
class Option:
    """One edition option.  ``check`` returns why a value is wrong, or None.

    A ``default`` of None means "not given": the writer then takes the value
    from elsewhere (``font_size`` from the style sheets) and ``example`` is
    what a new book.toml shows for it."""

    name: str                      # the [edition] key; the flag is --name-with-dashes
    kind: type                     # str, int, float or bool
    default: object
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[object], str | None] | None = None
    flag: bool = True              # offered on the command line
    example: object = None         # shown in a new book.toml when the default is None
    #: (flag, value): a flag of its own that gives this option ``value``
    #: (``("vertical", "vertical-rl")``: ``--vertical``), beside ``--name``.
    shorthand: tuple[str, object] | None = None
    #: Other flags for the same option (``--chapter`` for ``--proof``).
    aliases: tuple[str, ...] = ()
    #: False: a command-line flag only, not a book.toml [edition] key (a
    #: proof of some chapters is asked for a build, not a book's setting).
    setting: bool = True

    @property
    def flag_name(self) -> str:
        return "--" + self.name.replace("_", "-")

    def problem(self, value: object) -> str | None:
        """Why ``value`` cannot be this option's value, or None."""
        kinds = (int, float) if self.kind is float else (self.kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and self.kind is not bool):
            return f"must be {_TYPE_NAMES[self.kind]}, not {value!r}"[:200]
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}, not {value!r}"[:200]
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {self.minimum:g}, not {value!r}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {self.maximum:g}, not {value!r}"
        if isinstance(value, float) and value != value:
            return "must be a number, not nan"
        problem = self.check(value) if self.check is not None else None
        return f"= {value!r}: {problem}"[:300] if problem else None

    def of(self, options: object) -> object:
        """This option's value in a writer's ``BuildOptions`` (settled, so present)."""
        values = getattr(options, "values", {})
        return values.get(self.name, self.default)


def settle(declared: Iterable[Option], given: Mapping[str, object],
           edition: Mapping[str, object], source: Path | None = None,
           lines: Mapping[str, int] | None = None) -> Mapping[str, object]:
    """The value of every declared option: ``given`` (the command line, or a
    library caller) over ``edition`` (book.toml's table) over the default.

    A value of book.toml that is wrong is an error naming ``source`` and the
    key's line; a wrong given value names the flag."""
    values: dict[str, object] = {}
    for option in declared:
        if given.get(option.name) is not None:
            value = given[option.name]
            if (problem := option.problem(value)):
                raise UsageError(f"{option.flag_name} {problem}".replace(" = ", " ", 1)
                                 if problem.startswith("= ") else f"{option.flag_name} {problem}")
        elif option.setting and edition.get(option.name) is not None:
            value = edition[option.name]
            if (problem := option.problem(value)):
                raise ConfigError(f"[edition] {option.name} {problem}", source,
                                  (lines or {}).get(option.name))
        else:
            value = option.default
        values[option.name] = value
    return MappingProxyType(values)
