"""Measuring Fonte: eval sets, metrics, the faithfulness judge, reports and the benchmark.

Run as commands (`fonte eval`, `python -m eval.bench`); no names are re-exported here.
"""

__all__: list[str] = []
