# Stride on a Jupyter docker-stacks base, for JupyterHub or a course server.
#   docker build -t stride . && docker run -p 8888:8888 stride
FROM quay.io/jupyter/base-notebook:latest
USER root
RUN apt-get update && apt-get install -y --no-install-recommends \
        libzmq3-dev libopenblas-dev zlib1g-dev libssl-dev libpng-dev libjpeg-dev pkg-config curl ca-certificates binutils git gnupg2 \
        libc6-dev libcurl4-openssl-dev libedit2 libgcc-13-dev libpython3-dev libsqlite3-0 libstdc++-13-dev \
        libxml2-dev libncurses-dev tzdata unzip \
    && rm -rf /var/lib/apt/lists/*
# The Swift toolchain (swift.org's Ubuntu 24.04 build)
ARG SWIFT_VERSION=6.3.1
RUN curl -fsSL https://download.swift.org/swift-${SWIFT_VERSION}-release/ubuntu2404/swift-${SWIFT_VERSION}-RELEASE/swift-${SWIFT_VERSION}-RELEASE-ubuntu24.04.tar.gz \
      | tar -xz -C /opt && ln -s /opt/swift-${SWIFT_VERSION}-RELEASE-ubuntu24.04/usr/bin/swift /usr/local/bin/swift
COPY --chown=${NB_UID}:${NB_GID} . /opt/stride-src
RUN cd /opt/stride-src && PREFIX=/opt/conda SWIFT=swift binder/postBuild && rm -rf /opt/stride-src/.build
COPY --chown=${NB_UID}:${NB_GID} notebooks /home/${NB_USER}/notebooks
USER ${NB_UID}
WORKDIR /home/${NB_USER}/notebooks
