"""Building the artifacts: the shared Makefile rules and this machine's twin of sam build."""
