# boxoffice: `make run` opens the app on demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA_DIR ?= data

.PHONY: run test lint bench package translations screenshots clean

# The app alone (`make run`); system packages first, since pip builds pycups against them.
$(VENV)/.installed: pyproject.toml scripts/system-packages.sh
	PYTHON=$(PYTHON) bash scripts/system-packages.sh run
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# Lint and test tools, and the sync server's dependencies (the `server` extra) the tests run it with.
$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,server]'
	touch $@

$(VENV)/.test-system: scripts/system-packages.sh
	PYTHON=$(PYTHON) bash scripts/system-packages.sh test
	mkdir -p $(@D)  # on a fresh clone this runs before the venv exists
	touch $@

translations: $(VENV)/.installed
	$(PY) -m boxoffice.i18n compile > /dev/null

run: $(VENV)/.installed translations
	$(VENV)/bin/boxoffice --data-dir $(DATA_DIR) demo
	$(VENV)/bin/boxoffice --data-dir $(DATA_DIR) $(RUN_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check boxoffice sync printing scanning tests benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: $(VENV)/.test-system $(VENV)/.dev-installed translations lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --durations=25

bench: $(VENV)/.test-system $(VENV)/.dev-installed
	@for bench in contacts_import printing decode door sync desk invitations startup; do \
	  echo "== python -m benchmarks.$$bench"; \
	  $(PY) -m benchmarks.$$bench || exit 1; \
	done

screenshots: $(VENV)/.installed translations
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py

package: $(VENV)/.dev-installed translations
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/boxoffice.spec
	dist/boxoffice/boxoffice --version
	rm -rf build/package-demo && dist/boxoffice/boxoffice --data-dir build/package-demo demo --tickets 100
	QT_QPA_PLATFORM=offscreen dist/boxoffice/boxoffice --data-dir build/package-demo --smoke-test
	bash scripts/build-deb.sh $(PY)

clean:
	rm -rf $(VENV) build dist
