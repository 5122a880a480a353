# Shared by every artifact's Makefile (layers/common/Makefile, functions/function.mk),
# which `sam build` runs (BuildMethod: makefile) and `make build-host` runs for this
# machine's platform (tools/build/host.py). Include it by the including Makefile's own
# path: SAM runs the Makefiles in a scratch copy of the CodeUri folder, but passes the
# original Makefile (`make --makefile <source>/Makefile`), so $(MAKEFILE_LIST) knows
# where the repository is.
#
# Note: `sam build --cached` keys its cache by the CodeUri folder only; a change to
# this file or to functions/function.mk goes unseen. `make build` keys the cache
# folder by them (--cache-dir); run plain `sam build` with --no-cached after editing them.

# The Lambda runtime: python3.13 on arm64 (template.yaml). `make build-host` sets the
# platform to this machine's (manylinux2014_x86_64 here).
TARGET_PLATFORM ?= manylinux2014_aarch64
# The wheel tags pip may install (--platform each). An artifact's Makefile may add
# manylinux_2_28 (functions/function.mk: Pillow ships no manylinux2014 aarch64 wheel
# since 12.x); the python3.13 runtime is Amazon Linux 2023 (glibc 2.34), so both run.
PIP_PLATFORMS = $(TARGET_PLATFORM)
TARGET_PYTHON := 3.13
# The interpreter that compiles the bytecode: it must be the runtime's minor version
# (a .pyc of another version is ignored, and recompiled at every cold start since the
# runtime's /opt and /var/task are read-only). `make build` passes the one
# tools/setup/find_python.sh --exact finds; a bare `sam build` uses python3 on PATH.
LAMBDA_PYTHON ?= python3
# Debug symbols in the extension modules (wrapt: ~0.5 MB); host `strip` cannot read
# aarch64, llvm-strip can. Skipped when neither is installed.
ELF_STRIP ?= $(shell command -v llvm-strip || command -v aarch64-linux-gnu-strip)

# $(call pip-install,<target folder>,<requirements file>): wheels for the target
# (`--only-binary=:all:`: a dependency without such a wheel fails the build); no
# bytecode yet (compile-bytecode writes it), no console scripts.
define pip-install
python3 -m pip install --quiet --disable-pip-version-check --no-compile --no-warn-conflicts \
    $(foreach p,$(PIP_PLATFORMS),--platform $(p)) --implementation cp --python-version $(TARGET_PYTHON) \
    --only-binary=:all: --target "$(1)" -r "$(2)"
rm -rf "$(1)/bin"
endef

# Fails the build, before anything is installed, without a $(TARGET_PYTHON) to compile with.
define check-lambda-python
@found=$$($(LAMBDA_PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
if [ "$$found" != "$(TARGET_PYTHON)" ]; then \
    echo "$@: the artifacts' bytecode must be compiled by Python $(TARGET_PYTHON) (the Lambda" \
        "runtime's), but LAMBDA_PYTHON=$(LAMBDA_PYTHON) is $${found:-not runnable}." \
        "Run \`make build\` at the top (it finds $(TARGET_PYTHON) with tools/setup/find_python.sh)" \
        "or set LAMBDA_PYTHON=/path/to/python$(TARGET_PYTHON)." >&2; \
    exit 1; \
fi
endef

# $(call compile-bytecode,<folder>,<its path on Lambda>): every .py (ours and
# third-party) to __pycache__/*.cpython-313.pyc beside it, sources kept (tracebacks
# show lines). unchecked-hash: the bytecode stays valid whatever mtimes the zip and
# Lambda's extraction give the files (a timestamp pyc whose source looks newer would
# be ignored). Paths in the bytecode are the runtime's (/opt/python/..., /var/task/...).
define compile-bytecode
find "$(1)" -depth \( -name __pycache__ -type d -o -name '*.pyc' \) -exec rm -rf {} +
$(if $(ELF_STRIP),find "$(1)" -name '*.so' -exec $(ELF_STRIP) --strip-debug {} +)
$(LAMBDA_PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash \
    -s "$(1)" -p "$(2)" "$(1)" > /dev/null
endef

# $(call report-size,<name>,<goal in MB, 0 for none>): the artifact's size, unzipped
# and zipped as SAM zips it.
define report-size
@$(LAMBDA_PYTHON) -c 'import os, sys, tempfile, shutil; \
    name, root, goal = sys.argv[1], sys.argv[2], float(sys.argv[3]); \
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs); \
    tmp = tempfile.mkdtemp(); \
    zipped = os.path.getsize(shutil.make_archive(os.path.join(tmp, "artifact"), "zip", root)); \
    shutil.rmtree(tmp); \
    fmt = lambda n: f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"; \
    print(f"{name}: unzipped {fmt(size)}, zipped {fmt(zipped)}" \
          + (f" (goal {goal:.0f} MB unzipped)" if goal else "")); \
    goal and size > goal * 1e6 and print(f"{name}: WARNING: unzipped size is over the {goal:.0f} MB goal")' \
    "$(1)" "$(ARTIFACTS_DIR)" "$(2)"
endef
