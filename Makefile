# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ZHIFA_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/zhifa_test
PYTEST_ARGS ?=
# Test processes per suite (pytest-xdist, one test database each); 0 runs in this process. Three on two cores: the
# processes wait on the database, the browser and the live server part of the time (docs/development.md, 测试).
TEST_WORKERS ?= 3
XDIST = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist worksteal)
# The PostgreSQL pass: two processes (the database server needs the cores too; a third made it no faster).
PG_TEST_WORKERS ?= 2
PG_XDIST = $(if $(filter 0,$(PG_TEST_WORKERS)),,-n $(PG_TEST_WORKERS) --dist worksteal)
# make check: two processes (no browser tests to wait on: a third only shared the same two cores; 3:13 -> 3:00).
CHECK_WORKERS ?= 2
CHECK_XDIST = $(if $(filter 0,$(CHECK_WORKERS)),,-n $(CHECK_WORKERS) --dist worksteal)

# Compiled modules are kept (in __pycache__/, which git ignores): where the environment sets PYTHONDONTWRITEBYTECODE,
# every test process and every process a test starts compiled the project and rewrote the test modules again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check test-sqlite test-postgres test-production lint bench soak messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed-run

## make run: set up (venv, install, migrate, demo data when empty) and serve on http://127.0.0.1:8000
run: $(VENV)/.installed-run
	@bash scripts/system-deps.sh
	$(BIN)/zhifa run

## make test: the whole suite on SQLite, then on PostgreSQL (required when CI=true)
test: $(VENV)/.installed-test
	@bash scripts/system-deps.sh $$( [ "$$CI" = "true" ] && echo --require )
	$(BIN)/ruff check zhifa tests bench
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python scripts/pg_available.py "$(ZHIFA_TEST_DATABASE_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL 不可用（$(ZHIFA_TEST_DATABASE_URL)），CI 中必须在 PostgreSQL 上测试。"; exit 1; \
	else \
		echo "PostgreSQL 不可用（$(ZHIFA_TEST_DATABASE_URL)）：只在 SQLite 上运行了测试。"; \
	fi

## make check: the inner loop: ruff, then the SQLite suite without the browser tests and with few property examples
check: $(VENV)/.installed-test
	$(BIN)/ruff check zhifa tests bench
	@echo "== 检查：SQLite，无浏览器测试，少量性质测试样例 =="
	env -u ZHIFA_DATABASE_URL ZHIFA_VAR_DIR="$(CURDIR)/var/test-check" ZHIFA_GATE_EXAMPLES=$${ZHIFA_GATE_EXAMPLES:-20} \
		ZHIFA_LEDGER_EXAMPLES=$${ZHIFA_LEDGER_EXAMPLES:-3} ZHIFA_FUZZ_EXAMPLES=$${ZHIFA_FUZZ_EXAMPLES:-2} \
		$(BIN)/pytest $(CHECK_XDIST) -m "not e2e" $(PYTEST_ARGS)

# Each run has its own var directory (test database files, keys, media). The two suites run one after the other, each
# spread over TEST_WORKERS processes; side by side (make -j2) a browser walk timed out under the load.
test-sqlite: $(VENV)/.installed-test
	@echo "== 测试：SQLite =="
	env -u ZHIFA_DATABASE_URL ZHIFA_VAR_DIR="$(CURDIR)/var/test-sqlite" $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# The PostgreSQL pass runs every test that reaches the database (--database-tests-only: the others cannot tell the two
# apart and ran on SQLite) except the browser walks, which drive the same pages as on SQLite, the embedded default a
# bureau starts with `make run`, and the property tests marked one_pass (logic the database does not change, run once at
# their full count). The production-shaped walk is `make test-production` (CI runs it after make test).
test-postgres: $(VENV)/.installed-test
	@echo "== 测试：PostgreSQL =="
	ZHIFA_DATABASE_URL="$(ZHIFA_TEST_DATABASE_URL)" ZHIFA_VAR_DIR="$(CURDIR)/var/test-postgres" \
		$(BIN)/pytest $(PG_XDIST) --database-tests-only -m "not e2e and not one_pass" $(PYTEST_ARGS)

## make test-production: the production-shaped run (PostgreSQL, Redis, moto S3, 2 gunicorn workers, 2 Huey consumers
## and a browser walking a case on them; docs/tasks.md); CI runs it after make test
test-production: $(VENV)/.installed-test
	@echo "== 生产形态的运行 =="
	ZHIFA_DATABASE_URL="$(ZHIFA_TEST_DATABASE_URL)" ZHIFA_VAR_DIR="$(CURDIR)/var/test-production" \
		$(BIN)/pytest -p no:cacheprovider tests/e2e/test_production_run.py $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check zhifa tests bench
	$(BIN)/ruff format --check zhifa tests bench

bench: $(VENV)/.installed-test
	for b in bench/*.py; do case $$b in */_*) ;; *) echo "== $$b"; $(BIN)/python $$b || exit 1;; esac; done

## make soak: the ledger-completeness state machine with many sequences (SQLite; slow)
soak: $(VENV)/.installed-test
	env -u ZHIFA_DATABASE_URL ZHIFA_LEDGER_EXAMPLES=$${ZHIFA_LEDGER_EXAMPLES:-500} $(BIN)/pytest -p no:cacheprovider \
		tests/property/test_ledger_completeness.py

## make messages: refresh the English catalogue after changing interface strings (needs gettext)
messages: $(VENV)/.installed-test
	cd zhifa && ../$(BIN)/zhifa makemessages -l en --no-obsolete && ../$(BIN)/zhifa compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
