//! The languages of the tool's messages, and text carried in both, so that
//! every module that speaks to a user imports them from one place.

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Traditional Chinese (the default).
    #[default]
    ZhTw,
    /// English.
    En,
}

impl Lang {
    /// Parse `zh-TW` or `en` (case-insensitive; `zh`, `zh_TW` accepted).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-tw" | "zh" | "zh-hant" => Some(Self::ZhTw),
            "en" | "en-us" | "en-gb" => Some(Self::En),
            _ => None,
        }
    }

    /// The tag used in files and reports (`zh-TW`, `en`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhTw => "zh-TW",
            Self::En => "en",
        }
    }
}

/// Text in both languages of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized {
    /// Traditional Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// The same text in both languages (such as a parser's own message).
    #[must_use]
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            zh: text.clone(),
            en: text,
        }
    }

    /// Text in two languages.
    #[must_use]
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhTw => &self.zh,
            Lang::En => &self.en,
        }
    }
}
