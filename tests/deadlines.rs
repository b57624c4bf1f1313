#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The regulation's time limits, counted as 行政程序法第四十八條 counts them:
//! from the day after the event, to the end of the last day, moved to the
//! next working day past Saturdays, Sundays and holidays.

use niacheck::Date;

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<niacheck::Checker> =
    std::sync::LazyLock::new(|| niacheck::Checker::new().unwrap());

#[test]
fn deadline_table() {
    let checker = &*CHECKER;
    let calendar = checker.calendar();
    // (deadline, event day, last day, why)
    let cases = [
        (
            "fax-document",
            "2025-02-03",
            "2025-02-06",
            "Monday + 3 = Thursday",
        ),
        (
            "fax-document",
            "2025-02-12",
            "2025-02-17",
            "Wednesday + 3 = Saturday -> Monday",
        ),
        (
            "fax-document",
            "2025-02-05",
            "2025-02-08",
            "+ 3 = Saturday 2/8, a make-up working day (補行上班日): the last day",
        ),
        (
            "inquiry",
            "2023-03-22",
            "2023-03-25",
            "+ 3 = Saturday 3/25/2023, a make-up working day",
        ),
        (
            "fax-document",
            "2023-01-18",
            "2023-01-30",
            "+ 3 = 1/21, the 2023 Lunar New Year (1/20 to 1/29) -> Monday 1/30",
        ),
        (
            "fax-document",
            "2020-06-22",
            "2020-06-29",
            "+ 3 = 6/25/2020 端午節, 6/26 adjusted day off, the weekend -> Monday",
        ),
        (
            "inquiry",
            "2021-12-28",
            "2022-01-03",
            "+ 3 = 12/31/2021, the observed New Year's Day, the weekend -> Monday",
        ),
        (
            "fax-document",
            "2027-02-02",
            "2027-02-11",
            "+ 3 = 2/5/2027 除夕, the 2027 Lunar New Year to 2/10 -> 2/11",
        ),
        (
            "fax-document",
            "2025-02-06",
            "2025-02-10",
            "Thursday + 3 = Sunday -> Monday",
        ),
        (
            "fax-document",
            "2025-02-07",
            "2025-02-10",
            "Friday + 3 = Monday",
        ),
        (
            "fax-document",
            "2025-02-08",
            "2025-02-11",
            "a fax on Saturday: + 3 = Tuesday",
        ),
        (
            "fax-document",
            "2025-02-25",
            "2025-03-03",
            "+ 3 = 2/28 和平紀念日, then the weekend -> Monday",
        ),
        (
            "fax-document",
            "2026-02-13",
            "2026-02-23",
            "+ 3 = 2/16, in the Lunar New Year holidays -> 2/23",
        ),
        (
            "inquiry",
            "2026-12-22",
            "2026-12-28",
            "+ 3 = 12/25 行憲紀念日 (Friday) -> Monday",
        ),
        ("inquiry", "2026-11-24", "2026-11-27", "an ordinary week"),
        (
            "lost-certificate",
            "2025-06-06",
            "2025-06-09",
            "Friday: the next working day is Monday",
        ),
        (
            "lost-certificate",
            "2025-10-09",
            "2025-10-13",
            "the next day is 國慶日, then the weekend",
        ),
        (
            "lost-certificate",
            "2026-11-25",
            "2026-11-26",
            "Wednesday: Thursday",
        ),
    ];
    for (id, event, last, why) in cases {
        let event = Date::parse(event).unwrap();
        let got = calendar.deadline(id, event).and_then(Date::from_day_number);
        assert_eq!(
            got,
            Some(Date::parse(last).unwrap()),
            "{id} from {event}: {why}"
        );
    }
    assert_eq!(
        calendar.deadline("no-such-deadline", Date::parse("2026-01-01").unwrap()),
        None
    );
}

#[test]
fn weekends_and_holidays_are_days_off() {
    let checker = &*CHECKER;
    let calendar = checker.calendar();
    for (day, off) in [
        ("2026-11-27", false),
        ("2026-11-28", true),
        ("2026-11-29", true),
        ("2025-02-28", true),
        ("2025-10-10", true),
        ("2025-10-13", false),
        // Make-up working days (補行上班日) are Saturdays on which offices open.
        ("2020-02-15", false),
        ("2021-09-11", false),
        ("2022-01-22", false),
        ("2023-01-07", false),
        ("2023-09-23", false),
        ("2024-02-17", false),
        ("2025-02-08", false),
        ("2025-02-15", true),
        // Adjusted days off (調整放假) and observed holidays (補假).
        ("2020-01-23", true),
        ("2021-03-01", true),
        ("2022-09-09", true),
        ("2023-01-27", true),
        ("2024-04-05", true),
        ("2024-02-16", false),
    ] {
        assert_eq!(calendar.is_day_off(Date::parse(day).unwrap()), off, "{day}");
    }
}

/// Which years the office calendar covers, and what a deadline whose
/// window reaches an uncovered year is told.
#[test]
fn holiday_coverage_table() {
    let calendar = CHECKER.calendar();
    // (year, covered)
    for (year, covered) in [
        (2019, false),
        (2020, true),
        (2021, true),
        (2022, true),
        (2023, true),
        (2024, true),
        (2025, true),
        (2026, true),
        (2027, true),
        (2099, false),
    ] {
        assert_eq!(calendar.covers(year), covered, "{year}");
    }
    // (deadline, event day, the uncovered year its window reaches)
    for (id, event, uncovered) in [
        ("inquiry", "2019-12-20", Some(2019)),
        // Counting starts the day after: the days that decide are in 2020.
        ("inquiry", "2019-12-31", None),
        ("inquiry", "2020-01-02", None),
        ("inquiry", "2027-12-20", None),
        ("inquiry", "2027-12-29", Some(2028)),
        ("lost-certificate", "2099-05-05", Some(2099)),
    ] {
        assert_eq!(
            calendar.uncovered_year(id, Date::parse(event).unwrap()),
            uncovered,
            "{id} from {event}"
        );
    }
    // (deadline, event day, the year computed but not yet checked against
    // its published calendar that the window reaches)
    let unverified: Vec<i16> = calendar
        .years()
        .iter()
        .filter(|(_, verified)| !**verified)
        .map(|(year, _)| *year)
        .collect();
    for (id, event, year) in [
        ("inquiry", "2026-06-01", None),
        ("inquiry", "2026-12-28", None),
        ("inquiry", "2026-12-30", Some(2027)),
        ("inquiry", "2027-03-01", Some(2027)),
    ] {
        let expected = year.filter(|y| unverified.contains(y));
        assert_eq!(
            calendar.unverified_year(id, Date::parse(event).unwrap()),
            expected,
            "{id} from {event}"
        );
    }
    // An uncovered year counts weekends only: 2099-05-01 is a Friday.
    let last = calendar
        .deadline("fax-document", Date::parse("2099-04-28").unwrap())
        .and_then(Date::from_day_number);
    assert_eq!(last, Some(Date::parse("2099-05-01").unwrap()));
}

/// The data must cover next year before the year ends: a deadline in
/// January reaches it. This fails every year until `data/holidays.toml`
/// gets the next year's calendar.
#[test]
fn holidays_cover_this_year_and_the_next() {
    let calendar = CHECKER.calendar();
    let year = Date::today().civil().year();
    for y in [year, year.saturating_add(1)] {
        assert!(
            calendar.covers(y),
            "data/holidays.toml has no calendar for {y}: add the year from the \
             published 政府行政機關辦公日曆表 (verified = false until it is published)"
        );
    }
}

#[test]
fn a_deadline_in_a_computed_or_missing_year_is_noted_at_its_date() {
    // The sample's inquiry, its data obtained on a day whose deadline
    // reaches 2027 (computed, not yet checked against the published
    // calendar), then 2099 (not in the data at all).
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("agency-rules/new-taipei-labor-affairs");
    let access = std::fs::read_to_string(sample.join("access.yaml")).unwrap();
    let rules = std::fs::read_to_string(sample.join("rules.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let unverified = CHECKER
        .calendar()
        .years()
        .get(&2027)
        .is_some_and(|verified| !verified);
    for (day, expected) in [
        (
            "2026-12-30",
            unverified.then_some("computed from the rules for holidays"),
        ),
        ("2099-06-01", Some("does not cover")),
        ("2026-06-01", None),
    ] {
        let folder = dir.path().join(day);
        std::fs::create_dir_all(&folder).unwrap();
        let changed = access.replace(
            "data_obtained_on: 2025-11-04",
            &format!("data_obtained_on: {day}"),
        );
        assert_ne!(changed, access);
        std::fs::write(folder.join("access.yaml"), changed).unwrap();
        std::fs::write(folder.join("rules.md"), &rules).unwrap();
        let options = niacheck::CheckOptions::new(Date::parse("2026-11-27").unwrap());
        let report = CHECKER.check_paths(&[folder], &options);
        let notices: Vec<_> = report.submissions[0]
            .notices
            .iter()
            .filter(|n| n.message.en.contains("`inquiry` deadline"))
            .collect();
        match expected {
            Some(words) => {
                assert_eq!(notices.len(), 1, "{day}: {notices:?}");
                assert!(notices[0].message.en.contains(words), "{day}: {notices:?}");
                assert!(notices[0].message.zh.contains("期限"), "{day}");
                let place = notices[0].location.as_ref().unwrap();
                assert_eq!(&place.file.text()[place.span.start..place.span.end], day);
            }
            None => assert!(notices.is_empty(), "{day}: {notices:?}"),
        }
    }
}
