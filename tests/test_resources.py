"""Bundled data loading: every YAML file reads the same with libyaml and the pure-Python safe loader, and the
version the package reports is the one its installed metadata carries."""

from __future__ import annotations

from importlib import resources as ir
from importlib.metadata import version

import pytest
import yaml

import fa_policy_nlp
from fa_policy_nlp import resources

YAML_FILES = sorted(p.name for p in ir.files(resources.DATA_PACKAGE).iterdir() if p.name.endswith(".yaml"))


def test_there_are_yaml_files():
    assert len(YAML_FILES) >= 5


@pytest.mark.parametrize("name", YAML_FILES)
def test_yaml_loads_as_pure_python_safe_loader(name):
    assert resources.load_yaml(name) == yaml.safe_load(resources.read_text(name))


def test_fast_loader_is_a_safe_loader():
    loader = resources._safe_loader()
    assert issubclass(loader, yaml.SafeLoader) or loader.__name__ == "CSafeLoader"
    with pytest.raises(yaml.YAMLError):  # a safe loader refuses Python object tags
        yaml.load("!!python/object/apply:os.system ['true']", Loader=loader)


def test_version_matches_installed_metadata():
    assert fa_policy_nlp.__version__ == version("fa-policy-nlp")
