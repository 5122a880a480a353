# The build of every function (template.yaml: <Name>Function, BuildMethod: makefile);
# each functions/<name>/Makefile is this include. SAM copies functions/<name>/ to a
# scratch directory, runs `make build-<Name>Function` there and sets ARTIFACTS_DIR.
# The handler is `functions.<name>.app.lambda_handler`, so the code goes to
# $(ARTIFACTS_DIR)/functions/<name>/ (with both package __init__.py files). A function
# with its own requirements.txt (monthly_recap: XlsxWriter; check_upload: Pillow, pypdf) gets them installed next
# to it for the target platform; everything else comes from CommonLayer.
SHELL := /bin/bash
# functions/<name>/Makefile, the first makefile read (SAM passes the original path).
FUNCTION_MAKEFILE := $(firstword $(MAKEFILE_LIST))
FUNCTION := $(notdir $(patsubst %/,%,$(dir $(abspath $(FUNCTION_MAKEFILE)))))
include $(dir $(lastword $(MAKEFILE_LIST)))../tools/build/artifact.mk
# A function's own wheels may be manylinux_2_28 too (check_upload: Pillow has no
# manylinux2014 aarch64 wheel since 12.x); Lambda's python3.13 has glibc 2.34.
PIP_PLATFORMS = $(TARGET_PLATFORM) $(subst manylinux2014_,manylinux_2_28_,$(TARGET_PLATFORM))
# Not run on Lambda: the build's own files (and any __main__.py: operator commands live in tools/ops).
NOT_SHIPPED := "Makefile", "requirements.txt", "README.md", "__main__.py", \
    "__pycache__", "*.pyc", ".aws-sam"

build-%:
	$(if $(ARTIFACTS_DIR),,$(error ARTIFACTS_DIR is not set: run `make build` at the top, or `sam build`))
	$(check-lambda-python)
	rm -rf "$(ARTIFACTS_DIR)/functions"
	$(if $(wildcard requirements.txt),$(call pip-install,$(ARTIFACTS_DIR),requirements.txt))
	python3 -c 'import shutil, sys; shutil.copytree(".", sys.argv[1], ignore=shutil.ignore_patterns($(NOT_SHIPPED)))' \
	    "$(ARTIFACTS_DIR)/functions/$(FUNCTION)"
	touch "$(ARTIFACTS_DIR)/functions/__init__.py" "$(ARTIFACTS_DIR)/functions/$(FUNCTION)/__init__.py"
	test -f "$(ARTIFACTS_DIR)/functions/$(FUNCTION)/app.py"
	$(call compile-bytecode,$(ARTIFACTS_DIR),/var/task)
	$(call report-size,$*,0)
