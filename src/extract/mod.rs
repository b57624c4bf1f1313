//! Facts from a submission's files, each with its source span. Extraction
//! never judges: the policies do.

pub mod citation;
pub mod config;
pub mod document;
pub mod log;
pub mod reference;
pub mod table;
pub mod terms;
pub mod validate;
