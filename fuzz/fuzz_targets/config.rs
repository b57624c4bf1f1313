//! The configuration reader on any text: no panic, every error span inside
//! the text, and the message never a Rust debug value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use niacheck::extract::config;

fuzz_target!(|text: &str| {
    if let Err(errors) = config::parse(text) {
        assert!(!errors.is_empty());
        for error in errors {
            if let Some(span) = error.span {
                assert!(span.end <= text.len(), "{span} outside {}", text.len());
            }
            assert!(!error.message.en.is_empty() && !error.message.zh.is_empty());
        }
    }
});
