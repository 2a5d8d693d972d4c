//! Fuzz target `event`: see `respat_fuzz::event` (fuzz/src/event.rs) for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| respat_fuzz::event::run(data));
