"""Helpers shared by the command-line front ends: settings at the edge, errors to exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def load_settings(**overrides: Any) -> Any:
    """Build Settings from FONTE_* variables; explicit options win."""
    from pydantic import ValidationError

    from fonte.errors import BadRequest
    from fonte.settings import Settings, describe

    try:
        return Settings().with_overrides(**overrides)
    except ValidationError as e:
        raise BadRequest(f"Configuração inválida ({describe(e)}) — confira as variáveis FONTE_*") from e


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn FonteError into a one-line message and its exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from fonte.errors import FonteError

        try:
            return func(*args, **kwargs)
        except FonteError as e:
            print(f"erro: {e}", file=sys.stderr)
            raise SystemExit(e.exit_code) from None
        except KeyboardInterrupt:
            print("interrompido", file=sys.stderr)
            raise SystemExit(130) from None

    return wrapper
