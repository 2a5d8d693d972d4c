//! Fuzz target `index_ops`: see `respat_fuzz::index_ops` (fuzz/src/index_ops.rs) for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| respat_fuzz::index_ops::run(data));
