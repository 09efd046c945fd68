# The two commands of the README.
#   make book   builds every edition of the default book into dist/
#   make test   runs the whole test suite
# Both install what they need first (scripts/setup.sh, idempotent).
.PHONY: book test setup bench

setup:
	@scripts/setup.sh

book: setup
	.venv/bin/publish all manuscript -o dist

test: setup
	.venv/bin/ruff check publish tests benchmarks
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python -m pip install -q -e '.[bench]'
	.venv/bin/python benchmarks/bench_editions.py
