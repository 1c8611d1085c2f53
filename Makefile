# Stride — the two commands are `make lab` and `make test`.
SHELL := /bin/bash
VENV  ?= .venv
PY    := $(VENV)/bin/python
SWIFT ?= swift
STRIDE_RELEASE := .build/release/stride
STRIDE_DEBUG   := .build/debug/stride
# Release builds link the Swift runtime and Foundation statically: the kernel starts in ~10 ms instead
# of ~16 (fewer libraries to map and relocate), so it is listening before a front end first connects.
# Every release build (here, binder/postBuild, the signal test) uses exactly these flags, so none rebuilds.
RELEASE_FLAGS  := -c release --static-swift-stdlib
# Stride's own targets build with warnings as errors (Package.swift); STRIDE_WERROR=0 lets a newer
# compiler's new warning through.
export STRIDE_WERROR ?= 1
APT_PACKAGES := libzmq3-dev libopenblas-dev zlib1g-dev libssl-dev pkg-config python3-venv chromium
PY_PACKAGES  := jupyter_client jupyter-kernel-test nbclient nbformat pytest numpy ipykernel jupyter_console pexpect jupyterlab papermill nbconvert playwright
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; root is how fresh machines and containers start.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: all build release test swift-test conformance notebooks bench lab deps venv install-kernel clean fuzz

all: build

## System packages (apt), only what is missing; uses sudo when not root.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi

## Python venv for tests and JupyterLab.
venv: $(VENV)/.stamp
$(VENV)/.stamp: Makefile
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(PY_PACKAGES)
	touch $@

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

## Every test: Swift unit tests, kernel conformance, notebooks.
test: deps swift-test conformance notebooks

swift-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(STRIDE_DEBUG) fuzz --seconds 20 --seed 1

## The real kernel driven through jupyter_client (jupyter_kernel_test and protocol tests).
conformance: venv
	$(SWIFT) build --product stride
	STRIDE_BIN=$(abspath $(STRIDE_DEBUG)) $(PY) -m pytest -q Tests/conformance

## Every notebook, top to bottom, with nbclient (release build: notebooks train real networks).
notebooks: venv release
	STRIDE_BIN=$(abspath $(STRIDE_RELEASE)) $(PY) Tests/conformance/run_notebooks.py notebooks

## Benchmarks against PyTorch CPU (if .venv-bench or STRIDE_BENCH_PYTHON has torch) and ipykernel.
bench: release venv
	$(STRIDE_RELEASE) bench
	$(PY) benchmarks/kernel_latency.py --stride $(abspath $(STRIDE_RELEASE))

install-kernel: release venv
	$(STRIDE_RELEASE) install --prefix $(abspath $(VENV))

lab: release venv
	@$(PY) -c "import jupyterlab" 2>/dev/null || $(PY) -m pip install -q jupyterlab
	$(STRIDE_RELEASE) install --prefix $(abspath $(VENV))
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

## The long fuzz run (see Tests/fuzz/README.md).
fuzz: release
	$(STRIDE_RELEASE) fuzz --seconds 600 --seed 7

clean:
	rm -rf .build
