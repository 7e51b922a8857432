# Generated from bigc/_async/__init__.py by scripts/unasync.py: edit that file instead.
"""One client, written once here (async) and generated into ``bigc._sync``."""
