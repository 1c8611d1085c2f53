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
RELEASE_FLAGS  := -c release --static-swift-stdlib --product stride
# Stride's own targets build with warnings as errors (Package.swift); STRIDE_WERROR=0 lets a newer
# compiler's new warning through.
export STRIDE_WERROR ?= 1
# On a machine with AVX2 and FMA (and the rest of Haswell's set) Stride's own code is compiled for it: 256-bit
# vectors and fused multiply-adds in the kernels. Elsewhere the baseline build. STRIDE_CPU= (empty) forces
# the baseline, e.g. for a binary to copy to other machines.
HASWELL_FLAGS := avx2 fma bmi2 movbe f16c abm
ifeq ($(origin STRIDE_CPU),undefined)
STRIDE_CPU := $(shell f=$$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null); \
	for x in $(HASWELL_FLAGS); do [[ " $$f " == *" $$x "* ]] || exit 0; done; echo haswell)
endif
export STRIDE_CPU
# What running the kernel in JupyterLab needs (make lab) ...
APT_PACKAGES := libzmq3-dev libopenblas-dev zlib1g-dev libssl-dev libpng-dev libjpeg-dev pkg-config python3-venv
LAB_PY_PACKAGES := jupyterlab
# ... and what the tests add (make test): a browser for the JupyterLab test, the kernel test toolchain,
# and the references the differential tests compare with (NumPy, PyTorch CPU).
TEST_APT_PACKAGES := chromium
TEST_PY_PACKAGES := jupyter_client jupyter-kernel-test nbclient nbformat pytest numpy ipykernel jupyter_console \
	pexpect papermill nbconvert playwright safetensors pillow
TORCH := torch==2.13.0+cpu
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; root is how fresh machines and containers start.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: all build release test lint swift-test conformance notebooks bench lab lab-build deps test-deps venv test-venv \
	install-kernel clean fuzz

all: build

## System packages (apt), only what is missing; uses sudo when not root.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi
endef
deps:
	$(call apt_install,$(APT_PACKAGES))
test-deps: deps
	$(call apt_install,$(TEST_APT_PACKAGES))

## The Python venv: JupyterLab (venv), plus the test toolchain and references (test-venv).
venv: $(VENV)/.stamp
$(VENV)/.stamp: Makefile
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(LAB_PY_PACKAGES)
	touch $@
test-venv: $(VENV)/.test-stamp
$(VENV)/.test-stamp: $(VENV)/.stamp
	$(PY) -m pip install -q $(TEST_PY_PACKAGES)
	$(PY) -m pip install -q $(TORCH) 2>/dev/null || $(PY) -m pip install -q $(TORCH) --extra-index-url $(TORCH_INDEX)
	touch $@

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

## Every test: Swift unit tests, kernel conformance, notebooks.
test: test-deps lint swift-test conformance notebooks

## House style: the toolchain's swift-format with the root .swift-format (line length 120).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests

## The Swift tests, the fuzzer and the conformance suite run on the debug build with internal checks
## (STRIDE_INTERNAL_CHECKS=1: the interpreter's unretained fast paths hold strong references, exclusivity is
## checked everywhere, tensor views check their invariants); the notebooks run on the release build.
swift-test: export STRIDE_INTERNAL_CHECKS = 1
swift-test:
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(STRIDE_DEBUG) fuzz --seconds 20 --seed 1

## The real kernel driven through jupyter_client (jupyter_kernel_test and protocol tests).
conformance: export STRIDE_INTERNAL_CHECKS = 1
conformance: test-venv
	$(SWIFT) build --product stride
	STRIDE_BIN=$(abspath $(STRIDE_DEBUG)) $(PY) -m pytest -q Tests/conformance

## The project's notebooks, by name, top to bottom with nbclient (release build: they train real networks).
NOTEBOOKS := 01-convolution-by-hand 02-backprop-and-gradient-check 03-activations-and-pooling 04-training-a-cnn \
	05-looking-inside 06-architectures 07-assignment-template 08-your-own-layers 09-your-own-data
notebooks: test-venv release
	STRIDE_BIN=$(abspath $(STRIDE_RELEASE)) $(PY) Tests/conformance/run_notebooks.py notebooks \
	  $(addsuffix .ipynb,$(NOTEBOOKS))

## Benchmarks against PyTorch CPU (if .venv-bench or STRIDE_BENCH_PYTHON has torch) and ipykernel.
bench: release test-venv
	$(STRIDE_RELEASE) bench
	$(PY) benchmarks/kernel_latency.py --stride $(abspath $(STRIDE_RELEASE))

install-kernel: release venv
	$(STRIDE_RELEASE) install --prefix $(abspath $(VENV))

## The venv is made while the release build runs (pip waits on the network, the build on the CPUs).
lab-build: deps
	@$(MAKE) --no-print-directory -j2 release venv
## JupyterLab's settings overrides (no news pop-up) and `stride` on the venv's PATH come with the kernelspec.
lab: lab-build
	$(STRIDE_RELEASE) install --prefix $(abspath $(VENV))
	ln -sf $(abspath $(STRIDE_RELEASE)) $(VENV)/bin/stride
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/jupyterlab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

## The long fuzz run (see Tests/fuzz/README.md): the release build, then a build with the address sanitizer
## (its own build path, so neither rebuilds the other).
ASAN_BUILD := .build-asan
fuzz: release
	$(STRIDE_RELEASE) fuzz --seconds 600 --seed 7
	$(SWIFT) build --sanitize=address --build-path $(ASAN_BUILD) --product stride
	ASAN_OPTIONS=detect_leaks=0 $(ASAN_BUILD)/debug/stride fuzz --seconds 600 --seed 8

clean:
	rm -rf .build
