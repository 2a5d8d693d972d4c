//! Fuzz target `set_ops`: see `respat_fuzz::set_ops` (fuzz/src/set_ops.rs) for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| respat_fuzz::set_ops::run(data));
