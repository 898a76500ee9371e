//! The `gen` command line, as a library so that the end-to-end tests drive
//! exactly the code the binary runs.

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod deploy;
pub mod error;
pub mod layout;
pub mod report;
