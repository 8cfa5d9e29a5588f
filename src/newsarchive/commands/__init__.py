"""One module per verb of the ``newsarchive`` command line (see :mod:`newsarchive.cli`)."""
