"""One client, written once here (async) and generated into ``bigc._sync``."""
