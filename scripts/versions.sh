# Pinned tool versions: the one place to change them. (wasm-bindgen-cli is not here: it must equal
# the `wasm-bindgen` crate in Cargo.lock, so scripts/setup.sh reads it from there.)
# Trunk.toml repeats the wasm-bindgen and wasm-opt pins for Trunk; setup.sh checks they agree.
TRUNK_VERSION=0.21.14        # 0.22 needs a newer rustc than the machine's 1.95
BINARYEN_VERSION=132         # wasm-opt from npm; Debian's binaryen 108 silently breaks the app
GECKODRIVER_VERSION=0.37.1
TERSER_VERSION=5.51.4        # minifies the wasm-bindgen JS glue of release builds (scripts/post-build.mjs)
TWIGGY_VERSION=0.8.0
WASM_SPLIT_VERSION=0.2.4     # wasm-split-cli (crate wasm_split_cli_support): splits release builds (scripts/wasm.mjs)
