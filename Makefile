# Two commands for a fresh machine: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
VENDOR := static/vendor/nhsuk-frontend
NHSUK_DIST := node_modules/nhsuk-frontend/dist/nhsuk
EMOJI := static/vendor/noto-emoji
EMOJI_DIST := node_modules/@fontsource/noto-emoji
READING_FONTS := static/vendor/reading-fonts
export FLASK_APP := careers_app

.PHONY: run test test-stack prod-like setup assets migrate seed lint clean

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

assets: $(VENDOR)/.built $(EMOJI)/.built $(READING_FONTS)/.built

# The NHS.UK frontend's compiled CSS, JS and images come from npm, pinned in
# package-lock.json, and are copied into a git-ignored folder.
$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp $(NHSUK_DIST)/nhsuk-frontend.min.css $(NHSUK_DIST)/nhsuk-frontend.min.js $(VENDOR)/
	cp -R $(NHSUK_DIST)/assets $(VENDOR)/assets
	node -p "require('./node_modules/nhsuk-frontend/package.json').version" > $(VENDOR)/VERSION
	touch $@

# The monochrome Noto Emoji font (SIL Open Font License 1.1, from the same npm install),
# which careers_app/pdf.py hands to the PDF renderer so emoji in answers print: the
# regular weight with every glyph (the "emoji" subset), as WOFF because the renderer
# unpacks WOFF2 ten times slower (1.5 s per worker thread).
$(EMOJI)/.built: $(VENDOR)/.built
	rm -rf $(EMOJI) && mkdir -p $(EMOJI)
	cp $(EMOJI_DIST)/files/noto-emoji-emoji-400-normal.woff $(EMOJI)/NotoEmoji-Regular.woff
	cp $(EMOJI_DIST)/LICENSE $(EMOJI)/LICENSE
	touch $@

# The typefaces people can choose on /account/reading (both SIL Open Font License 1.1,
# from the same npm install; licences copied beside them): WOFF2 for browsers
# (static/css/reading.css), WOFF for the PDF renderer (careers_app/pdf.py), which
# unpacks WOFF2 far slower. Latin and Latin Extended only: other scripts fall back.
$(READING_FONTS)/.built: $(VENDOR)/.built
	rm -rf $(READING_FONTS) && mkdir -p $(READING_FONTS)
	for weight in 400 700; do \
	  for ext in woff woff2; do \
	    cp node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-$$weight-normal.$$ext \
	       node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-ext-$$weight-normal.$$ext \
	       node_modules/@fontsource/opendyslexic/files/opendyslexic-latin-$$weight-normal.$$ext $(READING_FONTS)/; \
	  done; \
	done
	cp node_modules/@fontsource/atkinson-hyperlegible/LICENSE $(READING_FONTS)/LICENSE-AtkinsonHyperlegible
	cp node_modules/@fontsource/opendyslexic/LICENSE $(READING_FONTS)/LICENSE-OpenDyslexic
	touch $@

migrate: setup
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask demo seed

# The web server and one job worker (emails); one Ctrl+C stops both.
run: seed
	@echo "Serving on http://127.0.0.1:$(PORT) with a job worker (stop with Ctrl+C)"
	PORT=$(PORT) $(BIN)/python -m deploy.run_local

# The suite in as many processes as there are cores (pytest-xdist): the browser tests in
# one (the longest on its own), as they mostly wait for the browser, and each other test
# file whole in one; see
# tests/suite_processes.py. On PostgreSQL (TEST_DATABASE_URL) in one process: the
# processes would share, and empty, one database.
PYTEST_WORKERS ?= $(if $(TEST_DATABASE_URL),,-n auto)

test: setup
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The browser suite over HTTPS against the production-shaped stack (needs nginx,
# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379; see README).
test-stack: setup
	$(BIN)/python -m pytest tests/e2e --stack $(PYTEST_ARGS)

# The same stack by hand: nginx with TLS on https://localhost:8443 in front of two
# gunicorn instances in production mode. Ctrl+C stops it all.
prod-like: setup
	$(BIN)/python -m deploy.prod_like

lint: setup
	$(BIN)/python -m ruff check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance/careers.sqlite3*
