# Every target sets up its own virtual environment when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INPUTS ?= inputs
OUTPUTS ?= outputs

.PHONY: report test template validate demo bench docs intake reply uitvraag dossier clean mutants

DEV_STAMP := $(VENV)/.installed-dev
PIP := $(PY) -m pip install -q --disable-pip-version-check
INSTALL_LOG := $(VENV)/installatie.log

# A run installs only what the program needs, at the versions in requirements.lock; the test tools
# (requirements-dev.lock) come with the first `make test` or `make mutants`. pip's output goes to a log.
$(STAMP): pyproject.toml requirements.lock
	@echo "Eerste keer (of na een nieuwe versie): het programma en de onderdelen die het nodig heeft worden geïnstalleerd in $(VENV); dat duurt een minuut of twee …"
	@$(PYTHON) -m venv $(VENV)
	@($(PIP) -r requirements.lock && $(PIP) --no-deps -e .) >"$(INSTALL_LOG)" 2>&1 \
	  || { tail -n 20 "$(INSTALL_LOG)" >&2; echo "De installatie is mislukt; zie $(INSTALL_LOG)." >&2; exit 1; }
	@touch $(STAMP)
	@echo "Installatie klaar."

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	@echo "De testhulpmiddelen (pytest, pytest-xdist, hypothesis, mutmut, pipx) worden geïnstalleerd …"
	@$(PIP) -r requirements-dev.lock >"$(INSTALL_LOG)" 2>&1 \
	  || { tail -n 20 "$(INSTALL_LOG)" >&2; echo "De installatie is mislukt; zie $(INSTALL_LOG)." >&2; exit 1; }
	@touch $(DEV_STAMP)

# Pin the dependencies of pyproject.toml anew (by hand, after changing them): a fresh environment, pip freeze.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --disable-pip-version-check .
	{ sed -n 1,2p requirements.lock; .venv-lock/bin/python -m pip freeze --exclude npo-inhuur; } > requirements.lock.new
	.venv-lock/bin/python -m pip freeze --exclude npo-inhuur > .venv-lock/runtime.txt
	.venv-lock/bin/python -m pip install -q --disable-pip-version-check pytest pytest-xdist hypothesis 'mutmut>=3.3' pipx
	{ sed -n 1,2p requirements-dev.lock; .venv-lock/bin/python -m pip freeze --exclude npo-inhuur | grep -vxFf .venv-lock/runtime.txt; } > requirements-dev.lock.new
	mv requirements.lock.new requirements.lock
	mv requirements-dev.lock.new requirements-dev.lock
	rm -rf .venv-lock

report: $(STAMP)
	$(PY) -m pipeline report --inputs "$(INPUTS)" --outputs "$(OUTPUTS)" $(OPTIES)

# The test files are spread over one worker per core (pytest-xdist; JOBS=1 runs them one after another): a file's
# tests stay together, so a module's demo board is built once; the longest files go first (tests/conftest.py).
# The tests start the program in many processes of its own: its modules are compiled once beforehand (where
# PYTHONDONTWRITEBYTECODE is set, Python would compile them again in every process: 0,35 s each).
test: $(DEV_STAMP)
	@$(PY) -m compileall -q pipeline tools >/dev/null
	$(PY) -m pytest -q -n $(or $(JOBS),auto) --dist loadfile --no-loadscope-reorder

template: $(STAMP)
	$(PY) -m pipeline template --outputs "$(OUTPUTS)"

validate: $(STAMP)
	@if [ -z "$(FILE)" ]; then echo 'Gebruik: make validate FILE="pad/naar/werkboek.xlsx" (aanhalingstekens bij spaties in de naam)' >&2; exit 2; fi
	$(PY) -m pipeline validate "$(FILE)"

demo: $(STAMP)
	$(PY) -m tools demo --inputs "$(INPUTS)"

bench: $(STAMP)
	$(PY) -m tools bench --n $(or $(N),1000) --workdir "$(or $(WORKDIR),/tmp/npo-bench)" $(if $(VERGELIJK),--vergelijk-met "$(VERGELIJK)")

intake: $(STAMP)
	@if [ -z "$(MAIL)" ]; then echo 'Gebruik: make intake MAIL="map/met/mails"' >&2; exit 2; fi
	$(PY) -m pipeline intake "$(MAIL)" --inputs "$(INPUTS)"

reply: $(STAMP)
	$(PY) -m pipeline reply --inputs "$(INPUTS)" --outputs "$(OUTPUTS)"

# The auditor's sample of one calendar year (JAAR=2023; default the last closed year), after make report.
dossier: $(STAMP)
	$(PY) -m pipeline dossier --inputs "$(INPUTS)" --outputs "$(OUTPUTS)" $(if $(JAAR),--jaar $(JAAR))

uitvraag: $(STAMP)
	$(PY) -m pipeline uitvraag --inputs "$(INPUTS)" --outputs "$(OUTPUTS)"

# Mutation testing of pipeline/rules and pipeline/aggregate.py with mutmut (by hand, not in CI; slow).
# `make mutants` runs it; `.venv/bin/mutmut results` lists the survivors, `.venv/bin/mutmut show NAME` shows one.
# JOBS=1 for fewer parallel children; one polars thread per child, so JOBS children use JOBS cores.
mutants: $(DEV_STAMP)
	POLARS_MAX_THREADS=1 $(VENV)/bin/mutmut run --max-children $(or $(JOBS),2)
	$(VENV)/bin/mutmut results

docs: $(STAMP)
	$(PY) -m pipeline docs

clean:
	rm -rf "$(VENV)" mutants
