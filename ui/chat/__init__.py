"""Pieces of the Streamlit chat page (`ui/streamlit_app.py`): literal Markdown and the answers."""
