# Pendopo - the two commands: `make run` and `make test`.
SHELL := /bin/bash
# The Python of .venv: Python 3.13, the Lambda runtime's, found by
# tools/setup/find_python.sh (PATH, then pyenv's versions; PYTHON=... overrides),
# else python3 >= 3.11 with a loud warning.
PYTHON ?=
FIND_PYTHON := tools/setup/find_python.sh
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall when a requirements file or pyproject.toml (packages, console scripts)
# changes (cksum: POSIX, on every system).
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt layers/common/requirements.txt functions/monthly_recap/requirements.txt functions/check_upload/requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
export PYTHONDONTWRITEBYTECODE := 1
export SAM_CLI_TELEMETRY := 0
# lint and build never talk to AWS: dummy credentials and a fixed region, even
# when the developer's shell has real ones (sam also runs without AWS_PROFILE).
lint build: export AWS_ACCESS_KEY_ID := testing
lint build: export AWS_SECRET_ACCESS_KEY := testing
lint build: export AWS_SESSION_TOKEN := testing
lint build: export AWS_DEFAULT_REGION := ap-southeast-3
lint build: export AWS_REGION := ap-southeast-3
lint build: export AWS_EC2_METADATA_DISABLED := true

.PHONY: venv browser run demo test test-unit lint bench build build-host clean
.PHONY: sla-check

## The monthly recap on demand against the running local stack (make run in another
## terminal): make recap MONTH=2025-06 [RESEND=1]. For a stage:
## pendopo-recap --month 2025-06 --stage dev
.PHONY: recap
recap: venv
	$(if $(MONTH),,$(error give the month: make recap MONTH=2025-06))
	$(VENV)/bin/pendopo-recap --local --month $(MONTH) $(if $(RESEND),--resend)

## .venv with Python 3.13 (recreated when it holds another Python than the one found),
## the requirements, then the project itself, editable (pip install -e .): pendopo,
## functions, infra and tools import from any folder without PYTHONPATH, and the
## console scripts (pendopo-admin, pendopo-sla-check, pendopo-recap, pendopo-publish-web)
## are in .venv/bin. Installed again when a requirements file or pyproject.toml changes.
venv:
	@have=$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	if [ -n "$(PYTHON)" ] || [ "$$have" != 3.13 ]; then \
	    want=$$(PYTHON='$(PYTHON)' $(FIND_PYTHON)) || exit 1; \
	    wanted=$$("$$want" -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	    if [ -n "$$have" ] && [ "$$have" != "$$wanted" ]; then \
	        echo "$(VENV) holds Python $$have: recreating it with $$want (Python $$wanted)"; \
	        rm -rf $(VENV); \
	    fi; \
	fi; \
	test -f $(STAMP) || $(MAKE) --no-print-directory $(STAMP) VENV_PYTHON="$$want"

$(STAMP): requirements-dev.txt layers/common/requirements.txt functions/monthly_recap/requirements.txt functions/check_upload/requirements.txt pyproject.toml
	test -x $(PY) || $(VENV_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

## Debian's chromium for the browser tests (apt; nothing when already installed).
browser:
	bash tools/setup/install_chromium.sh

## Start the whole system locally (moto as AWS, the HTTP gateway); Ctrl-C stops it.
## ARTIFACTS=1: serve the built artifacts (build-host's twin of sam build, built first)
## instead of the source tree, so the local stack is the deployed code
## (tools/local/artifacts.py).
ARTIFACTS ?=
SERVE := $(if $(filter 1,$(ARTIFACTS)),tools.local.artifacts,tools.local.stack)
SERVE_BUILD := $(if $(filter 1,$(ARTIFACTS)),build-host)
## TRAINING=1: the training stage's settings (the MODE PELATIHAN banner on every page;
## emails only to ALLOW_LIST, comma-separated addresses or @domains).
TRAINING ?=
ALLOW_LIST ?=
TRAINING_OPTIONS := $(if $(filter 1,$(TRAINING)),--training --email-allow-list '$(ALLOW_LIST)')
run: venv $(SERVE_BUILD)
	$(PY) -m $(SERVE) $(TRAINING_OPTIONS)

## The same, with demo complaints loaded (ARTIFACTS=1 too).
demo: venv $(SERVE_BUILD)
	$(PY) -m $(SERVE) --demo $(TRAINING_OPTIONS)

## Every test: unit, integration (moto), the built artifacts (tests/artifact: from
## build-host's twin), end-to-end over HTTP, browser (headless chromium).
test: venv browser build-host
	$(PY) -m pytest

test-unit: venv
	$(PY) -m pytest tests/unit

## Style, types and the template: sam validate, the house checks (infra/lint_template.py),
## then cfn-lint with the serverless rules (ES/WS ids): a finding is fixed in the template,
## or suppressed in the resource's Metadata with its reason next to it.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy layers/common functions infra tools
	env -u AWS_PROFILE $(VENV)/bin/sam validate --lint --template-file template.yaml --region $(AWS_DEFAULT_REGION)
	$(PY) -m infra.lint_template template.yaml
	$(VENV)/bin/cfn-lint template.yaml --regions $(AWS_DEFAULT_REGION) -a cfn_lint_serverless.rules

## Every benchmark, written to docs/benchmarks.md (its hand-written end is kept); the
## cold start runs the functions from build-host's twin, on Python 3.13.
bench: venv build-host
	$(PY) -m tools.bench

## The daily deadline check "as of" a time, against the running `make run`:
## make sla-check NOW=2025-06-12T07:00+07:00 (without NOW: as of now).
sla-check: venv
	$(VENV)/bin/pendopo-sla-check --local $(if $(NOW),--now $(NOW))

## sam build without Docker: the layer and functions build with their Makefiles
## (cross-platform pip for python3.13/arm64, the venv's pip) and Python 3.13 compiles
## their bytecode (LAMBDA_PYTHON; the build fails without one). The cache folder is
## keyed by the shared build files, which sam's own cache key (CodeUri) leaves out.
BUILD_FILES := tools/build/artifact.mk functions/function.mk
build: venv
	@lambda_python=$$($(FIND_PYTHON) --exact) || exit 1; \
	set -x; env -u AWS_PROFILE PATH=$(CURDIR)/$(VENV)/bin:$$PATH LAMBDA_PYTHON=$$lambda_python \
	    $(VENV)/bin/sam build --template-file template.yaml \
	    --cache-dir .aws-sam/cache/$$(cat $(BUILD_FILES) | cksum | cut -d' ' -f1)

## The same artifacts for this machine's platform (.aws-sam/host/: manylinux x86_64
## wheels here), so they run here: tests/artifact serves a request from each of them.
## Rebuilds only what changed (tools/build/host.py).
build-host: venv
	$(PY) -m tools.build.host

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache

## The web clients (web/) to a deployed stage: S3 upload with content types, then a
## CloudFront invalidation (tools/ops/publish_web.py). make publish-web STAGE=dev
.PHONY: publish-web screenshots
STAGE ?= dev
publish-web: venv
	$(VENV)/bin/pendopo-publish-web --stage $(STAGE)

## Every screenshot in the README, in headless chromium: the e-kiosk and citizen web
## (docs/screenshots/, fresh local stack), the officer console (docs/screenshots/console-*,
## the stack with demo data), photos and documents (docs/screenshots/uploads-*, console-file*,
## tracking-proof-phone), the live figures (console-dashboard, statistik-phone) and a recap
## unit report (docs/recap-unit-report.png).
screenshots: venv browser
	$(PY) -m tools.docs.screenshots
	$(PY) -m tools.docs.console_screenshots
	$(PY) -m tools.docs.upload_screenshots
	$(PY) -m tools.docs.dashboard_screenshots
	$(PY) -m tools.docs.guide_screenshots
	$(PY) -m tools.docs.recap_screenshot docs/recap-unit-report.png
