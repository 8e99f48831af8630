# Everyday commands. `just` is optional: each recipe is one cargo command.

# Extract the shipped corpus into out/
run:
    cargo run --release

# The test suite, as CI runs it
test:
    cargo test --workspace

# Formatting, lints and tests: what CI checks
ci:
    bash .ci/run

# Extract any files or folders: just extract path/to/reports
extract +paths:
    cargo run --release -- extract {{paths}}

# Speed and memory over 10,000 generated mixed documents, 1 and 2 threads, the parse
# floor (and its tokeniser-only variant), and one thread stage by stage (see BENCHMARKS.md)
bench n="10000":
    cargo build --release
    cargo build --release -p nianbao-testkit --example generate -p nianbao-export --example floor --example stages
    rm -rf /tmp/nianbao-bench && ./target/release/examples/generate /tmp/nianbao-bench {{n}} mixed
    /usr/bin/time -v ./target/release/nianbao run --corpus /tmp/nianbao-bench --out /tmp/nianbao-bench-out --quiet --no-cache --jobs 1
    /usr/bin/time -v ./target/release/nianbao run --corpus /tmp/nianbao-bench --out /tmp/nianbao-bench-out --quiet --no-cache --jobs 2
    RAYON_NUM_THREADS=1 ./target/release/examples/floor /tmp/nianbao-bench
    RAYON_NUM_THREADS=2 ./target/release/examples/floor /tmp/nianbao-bench
    RAYON_NUM_THREADS=2 ./target/release/examples/floor /tmp/nianbao-bench --html-tokens
    ./target/release/examples/stages /tmp/nianbao-bench

# Offline demo: crawl a fixture site on 127.0.0.1 and extract it
demo:
    cargo run --release -- demo

# Fuzz every target for SECONDS each, two at a time (nightly toolchain and cargo-fuzz;
# see ROBUSTNESS.md). Crashing inputs land in fuzz/artifacts/<target>/.
fuzz seconds="600":
    bash fuzz/seed.sh
    bash fuzz/run.sh {{seconds}}

# Prints generated reports to PDF with LibreOffice into the PDF test fixtures
pdf-fixtures:
    bash scripts/pdf-fixtures.sh
