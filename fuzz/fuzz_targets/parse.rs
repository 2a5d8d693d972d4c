//! Fuzz target `parse`: see `respat_fuzz::parse` (fuzz/src/parse.rs) for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| respat_fuzz::parse::run(data));
