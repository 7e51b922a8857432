# Generated from bigc/_async/resources/__init__.py by scripts/unasync.py: edit that file instead.
"""Resource groups, one class per group (see ``bigc._sync._client``)."""
