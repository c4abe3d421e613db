"""The examples in the public docstrings run and give what they show (doctest)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["fa_policy_nlp.pipeline", "fa_policy_nlp.numbers", "fa_policy_nlp.dates", "fa_policy_nlp.figures",
           "fa_policy_nlp.normalize", "fa_policy_nlp.officials", "fa_policy_nlp.domain", "fa_policy_nlp.keys", "fa_policy_nlp.training",
           "fa_policy_nlp.adapters.pandas"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
