//! Arbitrary bytes as the body of an answer: read for every endpoint and status, applied
//! to a signed-in state, then a good answer (invariants in `src/lib.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    fapi_session_fuzz::check(body);
});
