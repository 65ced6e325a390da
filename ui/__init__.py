"""Ways in: the `fonte` and `ask` CLIs, the HTTP API with its widget, and the Streamlit app.

Entry points are the console scripts in pyproject.toml; no names are re-exported here.
"""

__all__: list[str] = []
