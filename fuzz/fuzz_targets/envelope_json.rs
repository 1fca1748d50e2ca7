//! A structured answer (an envelope around a client with sessions, statuses, timestamps
//! and users, every field possibly missing, null, mistyped, duplicated or escaped; see
//! `src/shape.rs`) serialised and checked like `envelope_bytes`.
#![no_main]

use fapi_session_fuzz::shape::Answer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|answer: Answer| {
    fapi_session_fuzz::check(&answer.text());
});
