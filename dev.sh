#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what is missing, builds, and runs.
#   ./dev.sh demo    build chain and check the bundled examples
#   ./dev.sh test    build chain and run the whole test suite through CTest
#   ./dev.sh build   only install and build
#   ./dev.sh bench   build and run the benchmarks in bench/
#   ./dev.sh fuzz [SECONDS]   build the libFuzzer targets with clang and run each (ASan+UBSan)
set -euo pipefail
cd "$(dirname "$0")"

build_packages=(cmake ninja-build ccache pkg-config g++ tao-pegtl-dev libfmt-dev libcli11-dev
  nlohmann-json3-dev libyaml-cpp-dev catch2 libgit2-dev libkrb5-dev librange-v3-dev libboost1.81-dev
  libboost-filesystem1.81-dev libedit-dev git libsqlite3-dev libsqlitecpp-dev libtomlplusplus-dev)
# What the examples' pipelines run, really, in the end-to-end tests.
chain_tool_packages=(python3 python3-venv python3-pip python3-wheel-whl python3-pytest python3-flake8 python3-coverage
  python3-build python3-wheel python3-xmlrunner python3-yaml twine tox dpkg-dev reprepro debootstrap podman runc docker-registry
  uidmap) # uidmap: the rootless podman of the test hosts that images are deployed to over ssh
# What the tests of the REPL, editor support and export drive: a terminal, Neovim, and npm for tools
# that Debian does not package, pinned and installed into build/npm: the TextMate grammar's test runner,
# gitlab-ci-local (which copies the project with rsync) and GitHub's workflow parser.
# Node and npm are used as found (NodeSource's nodejs, which brings its own npm, conflicts with Debian's
# npm package); Debian's are installed only where there is no npm at all.
editor_test_packages=(tmux neovim rsync)
# What the tests of `chain serve` and of deploying to hosts drive: a real browser, a real HTTP client and
# real sshd processes on loopback.
server_test_packages=(curl chromium chromium-driver python3-selenium openssh-server openssh-client)
npm_test_tools=(vscode-tmgrammar-test@0.1.3 gitlab-ci-local@4.55.0 @actions/workflow-parser@0.3.61)
fuzz_packages=(clang-14 libclang-rt-14-dev)
bench_packages=(time)

install_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  if ((${#missing[@]})); then
    echo "dev.sh: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build() {
  install_packages "${build_packages[@]}"
  # -O2 without debug info: the build is a third faster; configure build/ by hand for a debugger.
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
  cmake --build build
}

case "${1:-demo}" in
  demo)
    build
    for example in examples/*/pipeline.chain; do
      echo "\$ chain check $example"
      build/chain check "$example"
    done
    echo "\$ chain plan examples/library/pipeline.chain --branch release/1.4 --explain"
    build/chain plan examples/library/pipeline.chain --branch release/1.4 --explain
    ;;
  test)
    install_packages "${chain_tool_packages[@]}" "${editor_test_packages[@]}" "${server_test_packages[@]}"
    command -v npm >/dev/null || install_packages nodejs npm
    build
    [ -x build/npm/node_modules/.bin/gitlab-ci-local ] ||
      npm install --prefix build/npm --no-audit --no-fund --loglevel=error "${npm_test_tools[@]}" >/dev/null ||
      echo "dev.sh: npm could not install ${npm_test_tools[*]}; the tests that need them are skipped"
    cd build && ctest --output-on-failure -j "$(nproc)"
    ;;
  build)
    build
    ;;
  bench)
    install_packages "${bench_packages[@]}"
    build
    bench/run.sh build
    bench/run_bench.sh build
    python3 bench/lsp_bench.py build/chain
    # chain serve: 200 signed webhooks for 20 repositories in one burst, every one answered, none lost.
    python3 bench/serve_bench.py build/chain
    ;;
  fuzz)
    install_packages "${build_packages[@]}" "${fuzz_packages[@]}"
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCHAIN_FUZZ=ON -DCHAIN_STATIC_DEPS=OFF \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build build-fuzz --target fuzz_parser fuzz_repl fuzz_export fuzz_lsp_framing
    # Each target for SECONDS: the front end on whole files, the REPL on typed lines, chain export, then
    # chain lsp on what an editor sends.
    mkdir -p build-fuzz/corpus build-fuzz/corpus-repl build-fuzz/corpus-export build-fuzz/corpus-lsp
    build-fuzz/fuzz/fuzz_parser -max_total_time="${2:-600}" -dict=fuzz/chain.dict \
      -artifact_prefix=build-fuzz/ build-fuzz/corpus fuzz/seeds
    # Outside any git repository, so that a session does not read one at every input.
    (here=$PWD && cd "$(mktemp -d)" && "$here/build-fuzz/fuzz/fuzz_repl" -max_total_time="${2:-600}" \
      -dict="$here/fuzz/chain.dict" -artifact_prefix="$here/build-fuzz/repl-" "$here/build-fuzz/corpus-repl" \
      "$here/fuzz/seeds" "$here/fuzz/seeds-repl")
    # chain export to both engines, each file read back with yaml-cpp: no key or script line injected.
    build-fuzz/fuzz/fuzz_export -max_total_time="${2:-600}" -dict=fuzz/chain.dict \
      -artifact_prefix=build-fuzz/export- build-fuzz/corpus-export fuzz/seeds
    (here=$PWD && cd "$(mktemp -d)" && "$here/build-fuzz/fuzz/fuzz_lsp_framing" -max_total_time="${2:-600}" \
      -dict="$here/fuzz/lsp.dict" -artifact_prefix="$here/build-fuzz/lsp-" "$here/build-fuzz/corpus-lsp" \
      "$here/fuzz/seeds-lsp")
    ;;
  *)
    echo "usage: ./dev.sh [demo|test|build|bench|fuzz [SECONDS per target]]" >&2
    exit 2
    ;;
esac
