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


# Every module a user reaches from `import nnlearn as nl`: its __all__ is its public API.
PUBLIC_MODULES = ["nnlearn", "nnlearn.activations", "nnlearn.losses", "nnlearn.optimizers", "nnlearn.datasets",
                  "nnlearn.descent", "nnlearn.features", "nnlearn.generalization", "nnlearn.graph",
                  "nnlearn.hierarchy", "nnlearn.interpret", "nnlearn.validation", "nnlearn.exercises",
                  "nnlearn.playground",
                  "nnlearn.schedules", "nnlearn.health",
                  "nnlearn.plots", "nnlearn.widgets"]


def public_names():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # submodules are listed themselves; constants are documented where they are defined
            qualified = f"{module_name}.{name}"
            yield qualified, obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, property)):
                        # Through the class, so an override without a docstring inherits its parent's.
                        yield f"{qualified}.{attr}", member if isinstance(member, property) else getattr(obj, attr)


PUBLIC = list(public_names())


def test_every_public_module_has_an_all():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        assert all(hasattr(module, name) for name in module.__all__), module_name


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_public_names_are_documented(name, obj):
    doc = inspect.getdoc(obj)
    assert doc and len(doc) > 10, f"{name} has no docstring"
    if _is_top_level(name):
        # The API reference: a Shapes line and an example that runs (the doctest below runs it).
        assert "Shapes:" in doc, f"{name} needs a 'Shapes:' line in its docstring"
        assert "Example" in doc and ">>>" in doc, f"{name} needs an 'Example:' with >>> lines"


def _is_top_level(qualified: str) -> bool:
    """A name in a public module's __all__ (not a method of a class)."""
    module_name, _, name = qualified.rpartition(".")
    return module_name in PUBLIC_MODULES


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
