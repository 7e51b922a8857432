"""Resource groups, one class per group (see ``bigc._async._client``)."""
