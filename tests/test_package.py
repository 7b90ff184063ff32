"""The package promise: light import, documented public names, docstring examples that run."""

import doctest
import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import nnlearn as nl


def test_import_does_not_load_matplotlib_or_ipywidgets():
    code = (
        "import sys, nnlearn as nl; "
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'torch', 'tqdm') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def public_names():
    for name in nl.__all__:
        obj = getattr(nl, name)
        yield name, obj
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, property)):
                    yield f"{name}.{attr}", member


@pytest.mark.parametrize("name, obj", list(public_names()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_names_are_documented(name, obj):
    doc = inspect.getdoc(obj)
    if inspect.isclass(obj) and name in nl.__all__ and issubclass(obj, nl.Layer) or name in ("Sequential", "Neuron"):
        assert "Shapes:" in (doc or ""), f"{name} needs a Shapes: line"
        assert "Example" in (doc or ""), f"{name} needs an example"
    assert doc and len(doc) > 10, f"{name} has no docstring"


def all_modules():
    yield nl
    for info in pkgutil.walk_packages(nl.__path__, prefix="nnlearn."):
        yield importlib.import_module(info.name)


@pytest.mark.parametrize("module", list(all_modules()), ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, module.__name__):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module.__name__}"
