# Two entry points (see README):  make series   and   make test
# Both create .venv from constraints.txt first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: series ci test test-compat lint format clean

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

## Everything CI checks: lint + format, unit tests, nbval over every notebook (twice)
test: $(STAMP) lint
	$(PY) -m pytest -n 2 --dist loadfile tests
	$(NBVAL)
	@echo "nbval again on another CPU code path (SSE4.2 kernels, no extra XLA CPU flags):"
	XLA_FLAGS=--xla_cpu_max_isa=SSE4_2 DIFFUSION_LITE_CPU_SETTINGS=0 $(NBVAL)

## Everything CI runs (.ci/run): make test, then make test-compat
ci: test test-compat

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
