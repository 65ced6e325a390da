"""A real, non-editable install into a fresh venv gives four working commands.

The venv sees the locked dependencies (this interpreter's site-packages) through one `.pth`
line; such a path is not scanned for `.pth` files itself, so the project's own editable
install stays invisible and `fonte` must come from the `pip install --no-deps .` below.
Whether pyproject.toml declares those dependencies is tests/unit/test_packaging.py's job.
"""

from __future__ import annotations

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
    "ui/widget/widget.js",
    "ui/streamlit_app.py",
    "ui/pages/1_Avaliação.py",
    "eval/thresholds.json",
    "eval/sets/mlops.jsonl",
]
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
