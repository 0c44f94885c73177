# Two entry points (see README):  make series   and   make ci  (= make test + make test-compat)
# Both create .venv from constraints.txt first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: series ci test unit e2e nbval test-compat lint format clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[notebooks,dev]"
	touch $(STAMP)

## Execute every notebook in order; rendered HTML -> build/html, figures -> build/figures
series: $(STAMP)
	$(PY) scripts/build_series.py --out build

NBVAL := $(PY) -m pytest -n 2 --dist loadscope --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg -p no:randomly notebooks

# tests/ holds the unit tests and, marked e2e, the end-to-end ones (the command line, training
# runs, the shipped checkpoints, subprocesses).  make test runs both in one session: run
# apart, the e2e tests would recompile what the unit tests compiled (about 45 s more).
PYTEST := $(PY) -m pytest -n 2 --dist loadfile -p no:nbval

# The stored outputs are rendered on this CPU's own code path, with the extra CPU flags
# (scripts/refresh_notebooks.py); make test compares them on another one: SSE4.2 kernels,
# no extra flags.  A number that moves with the CPU fails here, not on a student's laptop.
# make test-compat runs them again on the native path, with Colab's and the newest versions.
NBVAL_ISA := XLA_FLAGS=--xla_cpu_max_isa=SSE4_2 DIFFUSION_LITE_CPU_SETTINGS=0 $(NBVAL)

## Everything CI checks: lint + format, every test in tests/, nbval over every notebook
test: $(STAMP) lint
	$(PYTEST) tests
	@echo "nbval on another CPU code path than the one that rendered the outputs:"
	$(NBVAL_ISA)

## nbval on this CPU's own code path (make test uses the SSE4.2 one)
nbval: $(STAMP)
	$(NBVAL)

## The quick loop while editing: the unit tests alone (make e2e: the end-to-end ones)
unit: $(STAMP)
	$(PYTEST) -m "not e2e" tests

e2e: $(STAMP)
	$(PYTEST) -m e2e tests

## Everything CI runs (.ci/run): make test, then make test-compat, each timed against its budget
ci:
	@t0=$$(date +%s) && $(MAKE) --no-print-directory test && t1=$$(date +%s) && \
	$(MAKE) --no-print-directory test-compat && t2=$$(date +%s) && \
	echo "ci: make test $$((t1 - t0)) s (budget 600 s), make test-compat $$((t2 - t1)) s," \
	     "in all $$((t2 - t0)) s (budget 1500 s)"

## The unit tests and every notebook on Colab's stack (Python 3.13, jax 0.7.2, flax 0.11.2)
## and on the newest releases (Python 3.12), in venvs built from constraints/*.txt.
## One of them: make test-compat COMPAT_ENVS=colab
## --strict: every stored output is compared there too (outputs must travel across versions)
test-compat:
	$(PYTHON) scripts/compat.py --strict $(COMPAT_ENVS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf build $(VENV)
