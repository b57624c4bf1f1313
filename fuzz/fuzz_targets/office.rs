//! The office document reader on any bytes, as `.docx` and as `.odt`: no
//! panic, and every span of the text view maps into a paragraph on its
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use niacheck::office::{self, Format};
use niacheck::source::Span;

fuzz_target!(|data: &[u8]| {
    for (name, format) in [("rules.docx", Format::Docx), ("rules.odt", Format::Odt)] {
        let Ok(file) = office::read(data, name, format) else {
            continue;
        };
        let len = file.text().len();
        for start in (0..len).step_by(7) {
            if let Some(place) = file.paragraph_place(Span::new(start, (start + 5).min(len))) {
                assert!(place.text.is_char_boundary(place.bytes.start));
                assert!(place.text.is_char_boundary(place.bytes.end));
                assert!(place.start <= place.end);
            }
        }
    }
});
