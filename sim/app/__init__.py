"""The scenario explorer: a Streamlit page over the Python API (``enforcement-sim app``)."""
