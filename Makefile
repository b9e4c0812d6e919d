# routinepress: `make` builds every example handout, `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SPECS  := $(wildcard handouts/*.json)
PDFS   := $(patsubst handouts/%.json,build/%.pdf,$(SPECS))
# routinepress's own code and wording: a change to the compiler rebuilds the examples too
TOOL   := $(shell find src/routinepress -name '*.py' -o -name '*.json')

.PHONY: all handouts test check lint bench pages sheet review-sheet golden golden-poses drawings screenshots clean help
all: handouts

help:
	@echo "make          build every handouts/*.json into build/*.pdf"
	@echo "make test     run the test suite"
	@echo "make check    lint with ruff and type-check with mypy (make lint does the same)"
	@echo "make bench    run the benchmark (speed, memory, size)"
	@echo "make pages    pages, and pages per exercise, of every example in every template"
	@echo "make sheet    build the catalog's contact sheet, build/catalog-sheet.pdf"
	@echo "make golden   regenerate the golden model files (tests/golden/models), then review git diff"
	@echo "make review-sheet  every exercise's pictures at each template's size beside its steps"
	@echo "make golden-poses  redraw tests/golden_poses/*.png after an intended drawing change"
	@echo "make drawings  re-record the built-in drawings shipped in the package (after a pose, drawing or size change)"
	@echo "make screenshots  refresh the editor screenshots the README shows (docs/*.png; tests write build/screenshots/)"
	@echo "make clean    remove build/ and the virtual environment"

$(BIN)/routinepress: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src
	@touch $@

handouts: $(PDFS)

# Each build writes build/NAME.d: the exact catalog entries, pictures and templates the
# handout used, so it is rebuilt when one of them changes, and not otherwise (make -j safe).
build/%.pdf: handouts/%.json $(TOOL) | $(BIN)/routinepress
	$(BIN)/routinepress build $< -o $@ --depfile build/$*.d

-include $(wildcard build/*.d)

test: $(BIN)/routinepress
	$(BIN)/python -m pytest

golden: $(BIN)/routinepress
	$(BIN)/python tests/golden_models.py

# The code base must pass its own ruff configuration (pyproject.toml, [tool.ruff]) and mypy.
check: $(BIN)/routinepress
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

lint: check

# Python compiles a module on every start when it may not write __pycache__ (the
# PYTHONDONTWRITEBYTECODE setting), 20 ms for ours; an installed wheel is compiled by pip,
# and so, before it is measured, is the source tree.
bench: $(BIN)/routinepress
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/run.py

# What a layout change costs in paper: every example in every template, against the targets.
pages: $(BIN)/routinepress
	$(BIN)/python bench/pages.py

sheet: $(BIN)/routinepress
	$(BIN)/routinepress catalog sheet -o build/catalog-sheet.pdf

review-sheet: $(BIN)/routinepress
	$(BIN)/routinepress catalog sheet --size all -o build/review-sheet.pdf

# The golden pictures the test suite compares every pose with; review them in git diff.
golden-poses: $(BIN)/routinepress
	$(BIN)/python tests/test_golden_poses.py

# The built-in exercises' drawings, recorded once and shipped, so a first build draws nothing;
# tests/test_shipped.py says when they are stale.
drawings: $(BIN)/routinepress
	$(BIN)/python -m routinepress.render.shipped

# The editor's browser tests take these screenshots on every run, into build/screenshots/.
screenshots: $(BIN)/routinepress
	ROUTINEPRESS_SCREENSHOTS=$(CURDIR)/docs $(BIN)/python -m pytest tests/test_serve_browser.py

clean:
	rm -rf build $(VENV)
