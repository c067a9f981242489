# Two commands for a newcomer: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
AXE    := tests/js/axe/node_modules/axe-core/axe.min.js
LIGHTHOUSE := tests/js/lighthouse

.PHONY: site offline serve deploy test check bench fuzz clean

site: $(VENV)/.installed-site
	$(PY) -m generator build

offline: $(VENV)/.installed-site
	$(PY) -m generator build --offline

# The site on http://127.0.0.1:8000/, rebuilt and reloaded as content changes.
serve: $(VENV)/.installed-site
	$(PY) -m generator serve

# Build, then publish site/ to the gh-pages branch and push it (README,
# "Publishing"). SITE_URL=https://... when mkdocs.yml sets no site_url.
deploy: $(VENV)/.installed-site
	$(PY) -m generator deploy $(if $(SITE_URL),--site-url "$(SITE_URL)")

# One worker per core (pytest-xdist). A module marked xdist_group runs on one
# worker, so the build its module fixture makes is made once, not on each worker.
test: $(VENV)/.installed-test $(AXE)
	$(PY) -m pytest -n auto --dist loadgroup --durations=15

# Figures, not pass/fail: build time, search-index bytes per page, keystroke to
# results in Chromium, the Tagalog stemmer's accuracy, the build at scale
# (BENCH_ONLY=scale BENCH_SCALES=10,100 for just that; see README, "Scale") and
# Lighthouse beside a plain Material site (BENCH_ONLY=lighthouse) and cold-page
# bytes on the wire from nginx, compressed and not (BENCH_ONLY=wire).
bench: $(VENV)/.installed-test $(LIGHTHOUSE)/node_modules/.installed
	$(PY) tests/bench.py

# Lighthouse for the bench, exactly as locked. Without npm, or if npm ci fails,
# this says so and the bench goes on (its Lighthouse section says it is skipped).
$(LIGHTHOUSE)/node_modules/.installed: $(LIGHTHOUSE)/package.json $(LIGHTHOUSE)/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: Lighthouse is not installed, make bench skips it (install Node.js and npm)"; \
	elif (cd $(LIGHTHOUSE) && npm ci --no-audit --no-fund); then \
		touch $@; \
	else \
		echo "npm ci in $(LIGHTHOUSE) failed: make bench skips Lighthouse"; \
	fi

# Longer than make test: the loader and validator fuzzed with many more
# examples, and every payload built into every field and opened in Chromium.
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz HINAHON_SAFETY_ROUNDS=all $(PY) -m pytest -q -n auto --dist worksteal \
		tests/test_fuzz.py tests/test_safety_browser.py

check: $(VENV)/.installed-site
	$(PY) -m generator check

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-site: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	touch $@

# axe-core, the accessibility checker the browser tests inject into every
# page: pinned in tests/js/axe/package-lock.json, installed from npm.
$(AXE): tests/js/axe/package.json tests/js/axe/package-lock.json
	cd tests/js/axe && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-site
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) site site-offline .pytest_cache
