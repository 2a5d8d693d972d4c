//! The `respat` command-line tool.

fn main() {}
