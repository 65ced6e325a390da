"""A real, non-editable install into a fresh venv gives four working commands and its own data.

The venv sees the locked dependencies (this interpreter's site-packages) through one `.pth`
line; such a path is not scanned for `.pth` files itself, so the project's own editable
install stays invisible and `fonte` must come from the `pip install --no-deps .` below.
Whether pyproject.toml declares those dependencies is tests/unit/test_packaging.py's job.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ["fonte", "ingest", "vectorstore", "assistant", "eval", "ui"]
COMMANDS = [["fonte", "--help"], ["ask", "--help"], ["fonte", "serve", "--help"], ["fonte", "ui", "--help"]]
# files that are not Python modules but the commands need at run time
PACKAGE_DATA = [
    "ui/widget/widget.js",  # the widget's entry; /widget.js composes it with its parts
    "ui/widget/widget.css",
    "ui/streamlit_app.py",
    "ui/pages/1_Avaliação.py",
    "eval/thresholds.json",
    "eval/sets/mlops.jsonl",
    "fonte/corpus/mlops_dataops_fundamentos.txt",
]
BUNDLED_NAME = "mlops_dataops_fundamentos.txt"
# imported lazily by commands, so `--help` alone would not notice them missing
LAZY_MODULES = ["ui.api", "ui.ask", "assistant", "ingest", "vectorstore", "eval.runner"]


def _run(argv: list[str], *, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONNOUSERSITE": "1"}
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{argv} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # what an sdist holds: no .venv, no data, no egg-info
    source.mkdir()
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy2(REPO / name, source / name)
    for package in PACKAGES:
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    target = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(target)], cwd=work)
    python = target / "bin" / "python"
    site = _site_packages(python, cwd=work)
    locked = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "locked-deps.pth").write_text("".join(f"{path}\n" for path in locked))
    # offline: no build isolation (setuptools comes from the locked deps) and no index
    _run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(source)],
        cwd=work,
    )
    return target


def _site_packages(python: Path, *, cwd: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(_run([str(python), "-c", code], cwd=cwd).stdout.strip())


def test_the_project_comes_from_the_install_not_the_checkout(venv: Path, tmp_path: Path) -> None:
    code = "import fonte, ui.cli; print(fonte.__file__); print(ui.cli.__file__)"
    for line in _run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path).stdout.split():
        assert Path(line).is_relative_to(venv), line


def test_every_console_script_module_imports(venv: Path, tmp_path: Path) -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    for name, target in scripts.items():
        module, _, function = target.partition(":")
        assert (venv / "bin" / name).exists(), f"console script {name} not installed"
        code = f"import importlib; assert callable(importlib.import_module({module!r}).{function})"
        _run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path)
    imports = "; ".join(f"import {module}" for module in LAZY_MODULES)
    _run([str(venv / "bin" / "python"), "-c", imports], cwd=tmp_path)


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_help_works(venv: Path, tmp_path: Path, argv: list[str]) -> None:
    result = _run([str(venv / "bin" / argv[0]), *argv[1:]], cwd=tmp_path, timeout=120)
    assert "Usage" in result.stdout or "usage" in result.stdout


def test_package_data_is_installed(venv: Path, tmp_path: Path) -> None:
    site = _site_packages(venv / "bin" / "python", cwd=tmp_path)
    missing = [name for name in PACKAGE_DATA if not (site / name).is_file()]
    assert not missing, f"not in the installed package (pyproject.toml package-data): {missing}"
    # /widget.js composes its entry with every part it names: all of them were installed
    code = "from ui.api.demo import compose_widget; assert compose_widget()"
    _run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path)


def test_the_installed_commands_find_the_bundled_document(venv: Path, tmp_path: Path) -> None:
    """Outside the checkout, with an empty data dir: every way in reaches the shipped document."""
    assert not tmp_path.is_relative_to(REPO)
    bin_dir = venv / "bin"
    # the start-up bootstrap (ingest.ensure_documents) fills the empty collection
    asked = _run(
        [str(bin_dir / "ask"), "--backend", "extractive", "--json", "O que é DataOps?"], cwd=tmp_path
    )
    answer = json.loads(asked.stdout)
    assert not answer["abstained"] and answer["citations"], answer
    sources = {Path(c["source"]) for c in answer["citations"]}
    assert {s.name for s in sources} == {BUNDLED_NAME}, sources
    assert all(s.is_relative_to(venv) for s in sources), f"cited outside the install: {sources}"
    # `fonte ingest` with no path: the same shipped file, already there
    ingested = _run([str(bin_dir / "fonte"), "ingest"], cwd=tmp_path)
    assert "0 arquivo(s) ingerido(s), 1 inalterado(s)" in ingested.stdout, ingested.stdout
    # the eval set that runs over the shipped document finds both
    argv = ["eval", "--set", "mlops", "--backend", "extractive", "--json", "--reports-dir", str(tmp_path)]
    report = json.loads(_run([str(bin_dir / "fonte"), *argv], cwd=tmp_path).stdout)
    installed_set = _site_packages(bin_dir / "python", cwd=tmp_path) / "eval" / "sets" / "mlops.jsonl"
    assert len(report["per_question"]) == len(installed_set.read_text(encoding="utf-8").splitlines())
    # measured 1.00; quality is the eval gate's job, this shows the questions met their document
    assert report["metrics"]["hit@5"] >= 0.9, report["metrics"]
