//! A corpus of realistic, varied submissions for the benchmarks: rules
//! documents in every style of the samples (headings, plain numbering,
//! statute articles, tables, one paragraph, BOM + CRLF, the previous
//! text), padded to about 10 KB, and configurations of about 50 users with a
//! realistic mix of gaps (a user without a card reader, an expired or lost
//! certificate, a password login, a late inquiry, a user who left). The
//! same seed gives the same corpus.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a corpus generator for benchmarks fails loudly"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small deterministic generator (64-bit LCG), so the corpus needs no
/// dependency and is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let len = items.len().max(1) as u64;
        &items[(self.next() % len) as usize]
    }
}

/// The rules documents of the samples, as (file text, the agency name in it).
fn styles() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("agency-rules/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("rules.md").is_file())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|d| {
            let text = std::fs::read_to_string(d.join("rules.md")).expect("rules.md");
            let access = std::fs::read_to_string(d.join("access.yaml")).expect("access.yaml");
            let name = access
                .lines()
                .find_map(|l| l.trim().strip_prefix("name: "))
                .unwrap_or("")
                .to_owned();
            (text, name)
        })
        .collect()
}

const TIERS: &[(&str, &str)] = &[
    ("municipal-subordinate", "臺北市政府"),
    ("county-city-subordinate", "宜蘭縣政府"),
    ("ministry-subordinate", "內政部"),
    ("municipal-subordinate", "高雄市政府"),
];

fn rules(rng: &mut Rng, styles: &[(String, String)], agency: &str) -> String {
    let (base, name) = rng.pick(styles);
    let mut text = if name.is_empty() {
        base.clone()
    } else {
        base.replace(name.as_str(), agency)
    };
    let crlf = text.contains("\r\n");
    let mut i = 0;
    while text.len() < 10 * 1024 {
        let line = match rng.next() % 3 {
            0 => format!(
                "（{}）本機關使用者應依本規範辦理，並由業務單位每季檢討執行情形。",
                i + 1
            ),
            1 => format!("{}. 查詢結果僅供承辦業務使用，不得作為其他用途。", i + 1),
            _ => format!("附記{i}：本規範未盡事宜，依相關法令規定辦理。"),
        };
        text.push_str(if crlf { "\r\n" } else { "\n" });
        text.push_str(&line);
        text.push_str(if crlf { "\r\n" } else { "\n" });
        i += 1;
    }
    text
}

fn access(rng: &mut Rng, seed: usize, agency: &str) -> String {
    let (tier, forwarder) = *rng.pick(TIERS);
    let mut yaml = format!(
        "regulation: amended\nagency:\n  name: {agency}\n  code: \"{seed:010}\"\n  tier: {tier}\n  legal_basis: 警察職權行使法第十五條\napplication:\n  form: annex-1\n  functions: [entry-exit-records, entry-exit-certificate]\n  forwarded_by: {forwarder}\n  approved_on: 2024-03-20\n  notice_ref: 移署資字第1130012345號\nrules: rules.md\nworkstation:\n  idle_lock_minutes: {}\n  remove_card_on_leave: true\nusers:\n",
        if rng.chance(3) { 0 } else { 10 }
    );
    let users = 45 + (rng.next() % 11) as usize;
    // About one configuration in five has a gap, in one user.
    let flawed = rng.chance(20).then(|| (rng.next() % users as u64) as usize);
    let flaw = rng.next() % 3;
    for u in 0..users {
        let this = flawed == Some(u);
        let card = !(this && flaw == 0);
        let login = if this && flaw == 1 {
            "password"
        } else {
            "citizen-certificate"
        };
        let expires = if this && flaw == 2 {
            "2026-01-31"
        } else {
            "2028-05-01"
        };
        let left = rng.chance(3);
        let _ = write!(
            yaml,
            "  - personnel_id: \"T-{seed}-{u:04}\"\n    name: 使用者{u}\n    functions: [entry-exit-records]\n    business_need: 刑案偵查\n    card_reader: {card}\n    login: {login}\n    certificate:\n      serial: \"TP{seed:06}{u:08}\"\n      expires_on: {expires}\n      status: valid\n    status: {}\n    active_since: 2024-03-25\n",
            if left { "resigned" } else { "active" }
        );
        if left {
            let _ = write!(
                yaml,
                "    status_changed_on: 2025-06-30\n    termination:\n      channel: official-document\n      notified_on: 2025-07-01\n      account_ended_on: 2025-07-02\n"
            );
        }
    }
    let inquiries = rng.next() % 3;
    yaml.push_str(if inquiries == 0 {
        "inquiries: []\n"
    } else {
        "inquiries:\n"
    });
    for _ in 0..inquiries {
        // One in ten is raised too late.
        let (raised, sent) = if rng.chance(10) {
            ("2025-02-12", "2025-02-14")
        } else {
            ("2025-02-05", "2025-02-07")
        };
        let _ = write!(
            yaml,
            "  - kind: data-doubt\n    data_obtained_on: 2025-02-03\n    raised_on: {raised}\n    form: annex-2\n    faxed_on: {raised}\n    document_sent_on: {sent}\n"
        );
    }
    yaml.push_str("data_requests: []\nprotected_person_access: []\n");
    yaml
}

/// Write `n` submissions under `root` (`agency-00000` …).
pub fn generate(root: &Path, n: usize) -> Vec<PathBuf> {
    let styles = styles();
    (0..n)
        .map(|i| {
            let mut rng = Rng(i as u64 ^ 0x9e37_79b9_7f4a_7c15);
            let agency = format!("測試市政府第{i}局");
            let dir = root.join(format!("agency-{i:05}"));
            std::fs::create_dir_all(&dir).expect("a corpus folder");
            std::fs::write(dir.join("access.yaml"), access(&mut rng, i, &agency))
                .expect("access.yaml");
            std::fs::write(dir.join("rules.md"), rules(&mut rng, &styles, &agency))
                .expect("rules.md");
            dir
        })
        .collect()
}
