//! A matching engine for RES resource-name patterns.
//!
//! RES gateways such as Resgate cache resources by ID (`library.book.42`,
//! `library.books?start=10&limit=5`). When a service publishes a `system.reset` event, two
//! lists of patterns, the gateway must find every cached ID that any pattern matches. respat
//! does this with token tries instead of a scan of the whole cache:
//!
//! - [`PatternSet`]: many patterns in one trie; which of them match a name?
//! - [`ResourceIndex`]: many resource IDs in one trie; which of them does a [`Pattern`], or
//!   a whole [`PatternSet`], match? Time grows with the nodes visited and the IDs found,
//!   not with the cache.
//! - [`Reset`]: a `system.reset` event (parsed from JSON with feature `json`), its invalid
//!   patterns reported, its `resources` and `access` lists resolved against an index.
//!
//! # Syntax
//!
//! | input | form | example |
//! | --- | --- | --- |
//! | [`Name`] | parts joined by `.`; a part is bytes `0x21..=0x7E` but `. * > ?` | `library.book.42` |
//! | [`ResourceId`] | a name, optionally `?` and a query (not checked, never matched) | `library.books?start=10` |
//! | [`Pattern`] | parts of a name, or `*` (exactly one part), or `>` as the last part (one or more parts) | `library.*.>` |
//!
//! Matching is byte for byte. `>` never matches zero parts: `a.>` does not match `a`.
//!
//! # Example
//!
//! ```
//! use respat::{Pattern, Reset, ResourceIndex};
//!
//! // The gateway's cache: resource IDs, each with a value of the caller's choice.
//! let mut cache = ResourceIndex::new();
//! for (slot, id) in ["library.book.1", "library.book.2", "library.books?start=0", "chat.room.7"]
//!     .into_iter()
//!     .enumerate()
//! {
//!     cache.insert(id, slot)?;
//! }
//!
//! // One pattern: the matching entries, lazily; each gives its value and, on demand, its ID.
//! let books = Pattern::new("library.book.*")?;
//! let mut found: Vec<(String, usize)> =
//!     cache.matches(&books).map(|e| (e.id(), *e.value())).collect();
//! found.sort(); // results come in no particular order
//! assert_eq!(found, [("library.book.1".to_string(), 0), ("library.book.2".to_string(), 1)]);
//!
//! // A whole reset event (with feature `json`: `Reset::from_json(payload)`).
//! let reset = Reset::new(["library.book.*", "library..bad"], ["chat.>"]);
//! assert_eq!(reset.invalid().len(), 1);
//! let resolved = reset.resolve(&cache);
//! assert_eq!(resolved.resources_ids(), ["library.book.1", "library.book.2"]);
//! assert_eq!(resolved.access_ids(), ["chat.room.7"]);
//! # Ok::<(), respat::Error>(())
//! ```
//!
//! Names are matched, not IDs: to match a resource ID, parse it with [`ResourceId::new`]
//! and match its [`name`](ResourceId::name).
//!
//! # Cost
//!
//! | structure | operation | time | memory |
//! | --- | --- | --- | --- |
//! | [`PatternSet`] | match a name of `p` parts | one hash probe for the literal patterns, O(`p` x live `*` branches) trie steps for the others: not the number of patterns | a trie node per distinct wildcard prefix, a table entry per literal pattern |
//! | [`ResourceIndex`] | insert, remove, look up an ID | O(parts) block scans or hash probes | 12 bytes per name plus an inner node for names with children, and 4 bytes per query variant plus 12 per name that has them (`T = ()`, whose values take no bytes); 32.2 bytes per ID on the demo's corpus (26.7 compacted), `HashSet<String>` 88.5 |
//! | [`ResourceIndex`] | `matches`, `resolve` | O(nodes visited + IDs found); each node once per reset however many patterns reach it | O(depth x live states) |
//! | [`ResourceIndex`] | `count` | stops at each `>` with a subtree count | a stack of the branches still to count (a `*` pushes one per child of its block) |
//!
//! Measured figures, and the peers they are raced against, are in the README.
//!
//! # Untrusted input
//!
//! Every parser accepts any input without panicking and reports the first fault with its
//! byte offset ([`Error`]). Tries are walked with explicit stacks, never recursion, so names
//! and patterns of any depth are safe. A failed insert leaves a structure unchanged.
//!
//! # Features
//!
//! - `json` (default): `Reset::from_json` and `ResetPayload`, with `serde_json`.
//! - `cli` (default): the `respat` command-line tool. Use `default-features = false` for
//!   the library alone (dependencies: `hashbrown`, `smallvec`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cover;
mod ends;
mod error;
mod index;
mod interner;
mod label;
mod literals;
mod matches;
mod name;
mod packed;
mod pattern;
#[cfg(feature = "json")]
mod payload;
mod pool;
mod queries;
mod reset;
mod resolve;
mod set;
mod slot_tables;
mod syntax;
mod trie;
mod values;

#[doc(hidden)]
pub mod baseline;
#[doc(hidden)]
pub mod corpus;
#[doc(hidden)]
pub mod reference;

pub use cover::minimize;
pub use error::{Error, ErrorKind, InputKind};
pub use index::ResourceIndex;
pub use matches::{IndexEntry, Matches};
pub use name::{Name, ResourceId};
pub use pattern::{Part, Pattern};
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use payload::{PayloadError, PayloadErrorKind, ResetPayload};
pub use reset::{InvalidPattern, Reset, ResetList, Resolution};
pub use resolve::Resolve;
pub use set::{PatternId, PatternSet};

/// The README's examples, run as doctests.
#[cfg(all(doctest, feature = "json"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
