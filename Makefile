# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck test-sqlite test-postgres bench clean

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

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres: $(STAMP)
	@url=$$(PYTHON=$(BIN)/python scripts/postgres-url); \
	if [ -n "$$url" ]; then \
	  echo "== Chạy lại toàn bộ kiểm thử trên PostgreSQL ($$url)"; \
	  DATABASE_URL=$$url $(BIN)/pytest -q; \
	else \
	  echo "== Không có máy chủ PostgreSQL trả lời: bỏ qua lượt kiểm thử thứ hai."; \
	fi

test: $(STAMP) lint typecheck
	./scripts/ensure-chromium
	env -u DATABASE_URL $(BIN)/gandan makemigrations --check --dry-run -v1
	./scripts/test-both

bench: $(STAMP)
	$(BIN)/gandan bench

clean:
	rm -rf $(VENV) var
