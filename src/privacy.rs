//! Masking of personal data in reports: national ID numbers in free text
//! (a letter, then 1/2 or 8/9, then eight digits). Shown only with
//! `--show-personal-data`.

use std::borrow::Cow;

/// Whether `s` starts with a Taiwanese national ID or resident certificate number.
fn id_at(s: &[u8]) -> bool {
    s.len() >= 10
        && s.first().is_some_and(u8::is_ascii_uppercase)
        && s.get(1)
            .is_some_and(|b| matches!(b, b'1' | b'2' | b'8' | b'9' | b'A'..=b'D'))
        && s.get(2..10)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && !s.get(10).is_some_and(u8::is_ascii_alphanumeric)
}

/// Replace every national ID number in `text` with its first letter and `*`.
#[must_use]
pub fn mask(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_alphanumeric);
        if boundary && bytes.get(i..).is_some_and(id_at) {
            let buf = out.get_or_insert_with(String::new);
            buf.push_str(text.get(copied..i).unwrap_or(""));
            buf.push_str(text.get(i..=i).unwrap_or(""));
            buf.push_str("*********");
            i += 10;
            copied = i;
        } else {
            i += 1;
        }
    }
    match out {
        Some(mut buf) => {
            buf.push_str(text.get(copied..).unwrap_or(""));
            Cow::Owned(buf)
        }
        None => Cow::Borrowed(text),
    }
}

/// What to hide in one submission's output: national ID numbers always,
/// and the submission's own personnel numbers and certificate serials.
#[derive(Debug, Clone, Copy)]
pub struct Masker<'a> {
    /// Show everything (`--show-personal-data`).
    pub show: bool,
    /// Exact values to hide (ASCII only, so byte offsets do not move).
    pub values: &'a [String],
}

impl Masker<'_> {
    /// `text` with personal data replaced by `*`, keeping every byte offset.
    #[must_use]
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.show {
            return Cow::Borrowed(text);
        }
        let mut out = mask(text);
        for value in self.values {
            if value.is_ascii() && value.len() >= 4 && out.contains(value.as_str()) {
                let hidden = format!(
                    "{}{}",
                    value.get(..1).unwrap_or(""),
                    "*".repeat(value.len() - 1)
                );
                out = Cow::Owned(out.replace(value.as_str(), &hidden));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{Masker, mask};

    #[test]
    fn masker_hides_the_submission_values_and_keeps_lengths() {
        let values = vec![
            "TP-0001".to_owned(),
            "TP12345678901234".to_owned(),
            "王小明".to_owned(),
        ];
        let masker = Masker {
            show: false,
            values: &values,
        };
        let text = "personnel_id: \"TP-0001\" serial: TP12345678901234 name: 王小明 A123456789";
        let masked = masker.apply(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(
            masked,
            "personnel_id: \"T******\" serial: T*************** name: 王小明 A*********"
        );
        let shown = Masker {
            show: true,
            values: &values,
        };
        assert_eq!(shown.apply(text), text);
    }

    #[test]
    fn masks_id_numbers_only() {
        assert_eq!(mask("承辦人A123456789查詢"), "承辦人A*********查詢");
        assert_eq!(mask("序號TP12345678901234"), "序號TP12345678901234");
        assert_eq!(mask("no id here"), "no id here");
        assert_eq!(mask("B234567890"), "B*********");
    }
}
