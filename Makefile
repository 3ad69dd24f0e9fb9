# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test check test-slow lint typecheck static-checks test-sqlite test-postgres bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || (echo "Cần Python 3.11" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/gandan migrate --noinput -v0
	$(BIN)/gandan demo --if-empty
	$(BIN)/gandan serve

lint: $(STAMP)
	$(BIN)/ruff format --check gandan bench
	$(BIN)/ruff check gandan bench

typecheck: $(STAMP)
	$(BIN)/mypy gandan

# PYTEST_ARGS narrows a pass: `make check` leaves out the tests marked slow.
test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@url=$$(PYTHON=$(BIN)/python scripts/postgres-url); \
	if [ -n "$$url" ]; then \
	  echo "== Chạy lại toàn bộ kiểm thử trên PostgreSQL ($$url)"; \
	  DATABASE_URL=$$url $(BIN)/pytest -q $(PYTEST_ARGS); \
	else \
	  echo "== Không có máy chủ PostgreSQL trả lời: bỏ qua lượt kiểm thử thứ hai."; \
	fi

static-checks: $(STAMP) lint typecheck
	env -u DATABASE_URL $(BIN)/gandan makemigrations --check --dry-run -v1

# Everything but the tests marked slow (the full-scale demo): the check to run while working.
check: static-checks
	./scripts/ensure-chromium
	PYTEST_ARGS='-m "not slow"' ./scripts/test-both

# The tests marked slow, on both databases: their own step.
test-slow: $(STAMP)
	PYTEST_ARGS='-m slow' ./scripts/test-both

# Every test: `make check`, then the slow step (what CI runs).
test: check test-slow

bench: $(STAMP)
	$(BIN)/gandan bench

clean:
	rm -rf $(VENV) var
