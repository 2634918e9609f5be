# syntax=docker/dockerfile:1
#
# crossword-helper container image, in three stages:
#   components  rebuilds the two Rust WebAssembly components from source and
#               fails the build unless the result is byte-identical to the
#               committed components/*.wasm (components/SHA256SUMS);
#   build       builds target/crossword-helper.jar from the verified .wasm;
#   runtime     a glibc JRE with libgomp1, running as uid 10001.
#
#   docker build -t crossword-helper .
#   docker run --rm -p 8080:8080 crossword-helper                  # thesaurus backend
#   docker run --rm -p 8080:8080 -v "$PWD/models:/models:ro" crossword-helper
#                                                                   # local 7B model, if present

# ---------------------------------------------------------------------------
# Stage 1: verify the committed WebAssembly components.
#
# Not an upstream rust: image on purpose. The committed .wasm files and their
# hashes come from Debian 12's own rustc 1.63 (apt packages rustc, cargo,
# libstd-rust-dev-wasm32). The wasm embeds paths of the prebuilt standard
# library's sources (and its code generation differs between compilers), so a
# rustup toolchain, or any other rustc build, produces different bytes and the
# check would fail. debian:bookworm is the only base that reproduces them.
FROM debian:bookworm AS components
# The same install as scripts/build-components.sh, recommends included: they
# bring lld-14, the linker for the wasm32 target (a Recommends, not a Depends,
# of libstd-rust-dev-wasm32), so --no-install-recommends would break the link.
# python3 runs check-components.sh's import/export check of the modules.
# This stage is not shipped, so its size does not matter.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y \
      rustc cargo libstd-rust-dev-wasm32 python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/check-components.sh scripts/check-components.sh
COPY components/ components/
# Rebuilds a copy in a temporary folder, compares it byte for byte with the
# committed files and SHA256SUMS, runs the crates' tests; exits non-zero (and so
# fails the image build) on any mismatch.
RUN scripts/check-components.sh

# ---------------------------------------------------------------------------
# Stage 2: build the runnable jar.
FROM eclipse-temurin:21-jdk AS build
# The Maven wrapper (only-script) unpacks Maven's .zip with unzip, which the
# Temurin image does not ship.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: this layer is reused until pom.xml or the wrapper changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src/ src/
# Only the .wasm bytes that stage 1 verified go into the jar.
COPY --from=components /src/components/clue-parser.wasm /src/components/prompt-builder.wasm components/
RUN ./mvnw -B -ntp package -DskipTests \
 && test -f target/crossword-helper.jar

# ---------------------------------------------------------------------------
# Stage 3: runtime. Ubuntu-based Temurin JRE: glibc, as the llama.cpp JNI
# natives in the jar need (no Alpine/musl). libgomp1 is their OpenMP runtime.
# The natives also need a CPU with AVX2.
FROM eclipse-temurin:21-jre AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 crossword \
 && useradd --system --uid 10001 --gid crossword --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin crossword \
 && mkdir -p /app/licenses /models /tmp/llama-natives \
 && chown crossword:crossword /tmp/llama-natives \
 && chmod 700 /tmp/llama-natives
WORKDIR /app
COPY LICENSE NOTICE src/main/resources/META-INF/LICENSE-WordNet.txt /app/licenses/
COPY --from=build /src/target/crossword-helper.jar /app/crossword-helper.jar

# Models are not in the image. Mount a folder holding the GGUF file at /models,
# read-only: -v "$PWD/models:/models:ro" (compose.yaml does this for the
# "local" profile). Without it the service falls back to the offline thesaurus
# backend. /models is not a VOLUME so that the default, model-less run leaves
# no anonymous volume behind.
ENV CROSSWORD_PORT=8080 \
    CROSSWORD_NATIVE_TMPDIR=/tmp/llama-natives \
    CROSSWORD_MODEL=/models/llama-2-7b-chat.Q4_K_M.gguf
# JVM flags, read by the java launcher; override the whole variable to change
# them (compose.yaml does for the local model, whose weights live off-heap).
#   MaxRAMPercentage=75      heap sized from the container's memory limit
#   ExitOnOutOfMemoryError   die and let the orchestrator restart, rather than limp
#   de.kherud.llama.tmpdir   private, writable folder for the llama.cpp natives
#                            (the library deletes llama*/jllama* files in it)
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dde.kherud.llama.tmpdir=/tmp/llama-natives"

USER 10001:10001
EXPOSE 8080
# Readiness without curl or a second JVM: bash's /dev/tcp sends one HTTP/1.0
# request to /health/ready, which answers 503 until the backend is loaded.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${CROSSWORD_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-jar", "/app/crossword-helper.jar"]

LABEL org.opencontainers.image.title="crossword-helper" \
      org.opencontainers.image.description="Crossword answer suggestions: Wasm clue parser, WordNet thesaurus, llama.cpp backends" \
      org.opencontainers.image.licenses="Apache-2.0"
