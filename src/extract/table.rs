//! A set of terms compiled to one flat table of bytes: the transitions of
//! an Aho-Corasick automaton with every failure resolved (a DFA), its byte
//! classes and the terms that end at each state. The same bytes are made by
//! `build.rs` for the embedded vocabulary (this file is included there by
//! its path, so it uses nothing of the crate) and at run time for any other
//! set of terms; [`crate::extract::terms::Terms`] walks them.
//!
//! Layout, every number a little-endian `u32`:
//!
//! | bytes | what |
//! |---|---|
//! | 8 | [`MAGIC`] |
//! | 4 × 6 | the number of classes, of states, the start state, the first state that is not a match state, the number of match states, the number of their terms |
//! | 256 | the class of each byte |
//! | 4 × states × classes | for each state and class, the next state |
//! | 4 × (match states + 1) | where each match state's terms begin in the next part |
//! | 4 × terms of match states | the terms, in the automaton's order |
//!
//! A state is given as the index of its row's first transition (`state
//! number × classes`): a step is one read. State 0 is dead,
//! states `1..=match states` are the match states, so a state below the
//! first non-match state is one the walk must look at.

use std::collections::{HashMap, HashSet};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// The first bytes of a table.
pub const MAGIC: &[u8; 8] = b"niaterm1";

/// The header's length in bytes, the byte classes included.
pub const HEADER: usize = 8 + 4 * 6 + 256;

/// Compile `terms` (each non-empty) to a table.
///
/// # Errors
/// When the automaton would be too large.
pub fn compile<P: AsRef<[u8]>>(terms: &[P]) -> Result<Vec<u8>, BuildError> {
    let nfa = NFA::builder()
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .build(terms)?;
    // Two bytes that no term contains lead every state to the same place
    // (where the start state goes on a byte it has no transition for), so
    // they share class 0, whose representative is the first such byte;
    // every byte of a term is a class of its own.
    let mut used = [false; 256];
    for term in terms {
        for &b in term.as_ref() {
            if let Some(u) = used.get_mut(usize::from(b)) {
                *u = true;
            }
        }
    }
    let is_used = |b: u8| used.get(usize::from(b)).copied().unwrap_or(false);
    let other = (0..=255u8).find(|&b| !is_used(b));
    let mut classes = [0u8; 256];
    let mut representative: Vec<u8> = other.into_iter().collect();
    for byte in 0..=255u8 {
        if is_used(byte)
            && let Some(class) = classes.get_mut(usize::from(byte))
        {
            // At most 255 classes beside class 0, or 256 with no class 0.
            *class = u8::try_from(representative.len()).unwrap_or(u8::MAX);
            representative.push(byte);
        }
    }
    let stride = representative.len();
    let Ok(start) = nfa.start_state(Anchored::No) else {
        return Ok(Vec::new());
    };
    // Every reachable state, in breadth-first order.
    let mut order = vec![start];
    let mut seen = HashSet::from([start]);
    let mut i = 0;
    while let Some(&sid) = order.get(i) {
        i += 1;
        for &byte in &representative {
            let next = nfa.next_state(Anchored::No, sid, byte);
            if !nfa.is_dead(next) && seen.insert(next) {
                order.push(next);
            }
        }
    }
    // Numbered: dead, the match states, the others.
    let matching: Vec<_> = order.iter().copied().filter(|&s| nfa.is_match(s)).collect();
    let others: Vec<_> = order
        .iter()
        .copied()
        .filter(|&s| !nfa.is_match(s))
        .collect();
    let mut number = HashMap::new();
    for (n, &sid) in matching.iter().chain(&others).enumerate() {
        number.insert(sid, n + 1);
    }
    let states = 1 + order.len();
    let row = |n: usize| u32::try_from(n * stride).unwrap_or(0);
    let mut out = Vec::with_capacity(HEADER + states * stride * 4);
    out.extend_from_slice(MAGIC);
    let push = |out: &mut Vec<u8>, n: usize| {
        out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    };
    let mut match_ids = 0;
    for &sid in &matching {
        match_ids += nfa.match_len(sid);
    }
    push(&mut out, stride);
    push(&mut out, states);
    push(&mut out, number.get(&start).map_or(0, |&n| n * stride));
    push(&mut out, (1 + matching.len()) * stride);
    push(&mut out, matching.len());
    push(&mut out, match_ids);
    out.extend_from_slice(&classes);
    // The dead state goes nowhere.
    out.resize(out.len() + stride * 4, 0);
    for &sid in matching.iter().chain(&others) {
        for &byte in &representative {
            let next = nfa.next_state(Anchored::No, sid, byte);
            let next = number.get(&next).copied().unwrap_or(0);
            out.extend_from_slice(&row(next).to_le_bytes());
        }
    }
    let mut at = 0;
    push(&mut out, at);
    for &sid in &matching {
        at += nfa.match_len(sid);
        push(&mut out, at);
    }
    for &sid in &matching {
        for k in 0..nfa.match_len(sid) {
            push(&mut out, nfa.match_pattern(sid, k).as_usize());
        }
    }
    Ok(out)
}
