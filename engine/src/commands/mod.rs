//! The seam between the engine and its faces: each command is a pure function from a request
//! to a report, and a report renders as text, LaTeX or JSON. No I/O here.

pub mod args;
pub mod check;
pub mod class;
pub mod derive;
pub mod exercise;
pub mod form;
pub mod grad;
pub mod graph;
pub mod hand_table;
pub mod help_text;
pub mod moodle;
pub mod net;
pub mod plot;
pub mod run;
pub mod steps;
pub mod table;
pub mod tensor;
pub mod variant_id;
pub mod view;
pub mod words;
