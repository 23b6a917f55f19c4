# Every target sets up its own virtual environment when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INPUTS ?= inputs
OUTPUTS ?= outputs

.PHONY: report test template validate demo bench docs intake reply uitvraag dossier clean mutants

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(PY) -m pipeline report --inputs "$(INPUTS)" --outputs "$(OUTPUTS)" $(OPTIES)

test: $(STAMP)
	$(PY) -m pytest -q

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

# Mutation testing of pipeline/rules and pipeline/aggregate with mutmut (by hand, not in CI; slow).
# `make mutants` runs it; `.venv/bin/mutmut results` lists the survivors, `.venv/bin/mutmut show NAME` shows one.
# JOBS=1 for fewer parallel children; one polars thread per child, so JOBS children use JOBS cores.
mutants: $(STAMP)
	POLARS_MAX_THREADS=1 $(VENV)/bin/mutmut run --max-children $(or $(JOBS),2)
	$(VENV)/bin/mutmut results

docs: $(STAMP)
	$(PY) -m pipeline docs

clean:
	rm -rf "$(VENV)" mutants
