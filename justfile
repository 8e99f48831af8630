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

# Time and peak memory of the default run (see BENCHMARKS.md)
bench:
    cargo build --release
    /usr/bin/time -v ./target/release/nianbao run --quiet
