# fa-policy-nlp — set-up and everyday commands.
#   make demo   create .venv with a Python >= 3.12, install the package, run the main job on the sample dump
#   make test   same set-up plus test extras, then the test suite
VENV    := .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
SAMPLE  := corpora/sample/articles.jsonl

.PHONY: demo test install install-test bench model clean

$(PY):
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	echo "using $$PYTHON"; \
	$$PYTHON -m venv $(VENV)
	@$(PIP) install --quiet --upgrade pip

$(VENV)/.stamp-install: $(PY) pyproject.toml
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-install
	$(PIP) install --quiet -e ".[test,spacy,notebooks,dask]"
	@touch $@

install: $(VENV)/.stamp-install
install-test: $(VENV)/.stamp-test

demo: install
	$(VENV)/bin/fa-policy extract $(SAMPLE) --output demo-out --overwrite
	$(PY) -m fa_policy_nlp.demo demo-out

test: install-test
	$(PY) -m pytest -q

bench: install-test
	for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

model: install
	$(PY) scripts/train_cap_model.py

clean:
	rm -rf $(VENV) demo-out .pytest_cache
