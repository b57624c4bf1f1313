//! Automatic numbering rendered as the officer sees it: the number formats
//! of WordprocessingML (`w:numFmt`) and ODF (`style:num-format`).
#![deny(clippy::arithmetic_side_effects)]

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CAPITAL: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const BRANCHES: [char; 12] = [
    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
];

/// A number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `1, 2, 3`
    Decimal,
    /// `１, ２, ３`
    FullWidth,
    /// `一, 二, …, 十, 十一` (Taiwanese counting)
    Counting,
    /// `壹, 貳, 參`
    Capital,
    /// `甲, 乙, 丙` (heavenly stems; cycles after 癸)
    Stems,
    /// `子, 丑, 寅` (earthly branches)
    Branches,
    /// `a, b, c`
    LowerLetter,
    /// `A, B, C`
    UpperLetter,
    /// `i, ii, iii`
    LowerRoman,
    /// `I, II, III`
    UpperRoman,
    /// A bullet: the level text itself.
    Bullet,
    /// No number shown.
    None,
}

impl Format {
    /// A WordprocessingML `w:numFmt` value.
    #[must_use]
    pub fn from_word(value: &str) -> Self {
        match value {
            "decimalFullWidth" | "decimalFullWidth2" => Self::FullWidth,
            "taiwaneseCountingThousand"
            | "taiwaneseCounting"
            | "chineseCounting"
            | "chineseCountingThousand"
            | "ideographDigital"
            | "taiwaneseDigital" => Self::Counting,
            "ideographLegalTraditional" | "chineseLegalSimplified" => Self::Capital,
            "ideographTraditional" => Self::Stems,
            "ideographZodiac" => Self::Branches,
            "lowerLetter" => Self::LowerLetter,
            "upperLetter" => Self::UpperLetter,
            "lowerRoman" => Self::LowerRoman,
            "upperRoman" => Self::UpperRoman,
            "bullet" => Self::Bullet,
            "none" => Self::None,
            _ => Self::Decimal,
        }
    }

    /// An ODF `style:num-format` value (LibreOffice writes the CJK ones as
    /// their first three numbers, e.g. `一, 二, 三, ...`).
    #[must_use]
    pub fn from_odf(value: &str) -> Self {
        let first = value.chars().next();
        match first {
            None => Self::None,
            Some('a') => Self::LowerLetter,
            Some('A') => Self::UpperLetter,
            Some('i') => Self::LowerRoman,
            Some('I') => Self::UpperRoman,
            Some('１') => Self::FullWidth,
            Some('一' | '〇') => Self::Counting,
            Some('壹') => Self::Capital,
            Some('甲') => Self::Stems,
            Some('子') => Self::Branches,
            _ => Self::Decimal,
        }
    }

    /// `n` (1-based) in this format.
    #[must_use]
    pub fn render(self, n: u32) -> String {
        match self {
            Self::Decimal | Self::Bullet => n.to_string(),
            Self::FullWidth => n
                .to_string()
                .chars()
                .map(|c| {
                    c.to_digit(10)
                        .and_then(|d| char::from_u32(0xFF10_u32.saturating_add(d)))
                        .unwrap_or(c)
                })
                .collect(),
            Self::Counting => counting(n, &DIGITS, ['十', '百', '千']),
            Self::Capital => counting(n, &CAPITAL, ['拾', '佰', '仟']),
            Self::Stems => cycle(n, &STEMS),
            Self::Branches => cycle(n, &BRANCHES),
            Self::LowerLetter => letters(n, b'a'),
            Self::UpperLetter => letters(n, b'A'),
            Self::LowerRoman => roman(n).to_lowercase(),
            Self::UpperRoman => roman(n),
            Self::None => String::new(),
        }
    }
}

fn cycle(n: u32, set: &[char]) -> String {
    let len = u32::try_from(set.len()).unwrap_or(1).max(1);
    let i = usize::try_from(n.saturating_sub(1).checked_rem(len).unwrap_or(0)).unwrap_or(0);
    set.get(i).map(char::to_string).unwrap_or_default()
}

/// Chinese counting as Taiwanese documents write it: 十, 十一, 二十, 一百零五.
fn counting(n: u32, digits: &[char; 10], units: [char; 3]) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let places = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
    let unit = [Some(units[2]), Some(units[1]), Some(units[0]), None];
    let mut out = String::new();
    let mut zero = false;
    for (i, (&d, u)) in places.iter().zip(unit).enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            // A skipped place is read 零 (一百零五), in either numeral set.
            out.push('零');
            zero = false;
        }
        // 10–19 are written 十, 十一 …, not 一十.
        let tens_alone = i == 2 && out.is_empty() && d == 1;
        if !tens_alone {
            out.push(
                digits
                    .get(usize::try_from(d).unwrap_or(0))
                    .copied()
                    .unwrap_or('?'),
            );
        }
        if let Some(u) = u {
            out.push(u);
        }
    }
    out
}

fn letters(n: u32, base: u8) -> String {
    // Word repeats the letter: a … z, aa … zz.
    let n = n.max(1).saturating_sub(1);
    let letter = char::from(base.saturating_add(u8::try_from(n % 26).unwrap_or(0)));
    let times = usize::try_from(n / 26)
        .unwrap_or(0)
        .saturating_add(1)
        .min(50);
    std::iter::repeat_n(letter, times).collect()
}

fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n.min(3999);
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n = n.saturating_sub(value);
        }
    }
    out
}

/// Counters of one list: one per level; a number at a level restarts every
/// deeper level.
#[derive(Debug, Clone, Default)]
pub struct Counters {
    values: Vec<u32>,
}

impl Counters {
    /// Count a paragraph at `level` (0-based) whose level starts at
    /// `start`: the counters of levels `0..=level` after it.
    pub fn next(&mut self, level: usize, start: u32) -> &[u32] {
        let level = level.min(9);
        if self.values.len() <= level {
            self.values.resize(level.saturating_add(1), 0);
        }
        self.values.truncate(level.saturating_add(1));
        if let Some(v) = self.values.get_mut(level) {
            *v = if *v == 0 { start } else { v.saturating_add(1) };
        }
        // A level never counted before shows its start.
        for v in &mut self.values {
            if *v == 0 {
                *v = 1;
            }
        }
        &self.values
    }

    /// Set the next number of `level` to `start` (a restart or override).
    pub fn restart(&mut self, level: usize) {
        if let Some(v) = self.values.get_mut(level) {
            *v = 0;
        }
        self.values.truncate(level.saturating_add(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting() {
        let f = Format::Counting;
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 100, 105, 110, 1001]
            .into_iter()
            .map(|n| f.render(n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "二十",
                "二十一",
                "一百",
                "一百零五",
                "一百一十",
                "一千零一"
            ]
        );
        assert_eq!(Format::Capital.render(3), "參");
        assert_eq!(Format::Stems.render(2), "乙");
        assert_eq!(Format::Stems.render(11), "甲");
        assert_eq!(Format::FullWidth.render(12), "１２");
        assert_eq!(Format::UpperRoman.render(14), "XIV");
        assert_eq!(Format::LowerLetter.render(27), "aa");
    }

    #[test]
    fn formats_are_read_from_both_vocabularies() {
        assert_eq!(
            Format::from_word("taiwaneseCountingThousand"),
            Format::Counting
        );
        assert_eq!(Format::from_word("ideographTraditional"), Format::Stems);
        assert_eq!(Format::from_odf("一, 二, 三, ..."), Format::Counting);
        assert_eq!(Format::from_odf("１, ２, ３, ..."), Format::FullWidth);
        assert_eq!(Format::from_odf(""), Format::None);
    }

    #[test]
    fn a_level_restarts_the_deeper_ones() {
        let mut c = Counters::default();
        assert_eq!(c.next(0, 1), [1]);
        assert_eq!(c.next(1, 1), [1, 1]);
        assert_eq!(c.next(1, 1), [1, 2]);
        assert_eq!(c.next(0, 1), [2]);
        assert_eq!(c.next(1, 1), [2, 1]);
        c.restart(0);
        assert_eq!(c.next(0, 5), [5]);
    }
}
