# Generated from _async/__init__.py by scripts/unasync.py
"""One client, written once here (async) and generated into ``bigc._sync``."""
