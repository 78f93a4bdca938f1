//! One integration-test crate (as ripgrep does): each module is one kind of test.

mod answer_forms;
mod bad_input;
mod book;
mod catalogue_properties;
mod chain_rule;
mod class_sets;
mod cli;
mod cli_polish;
mod common;
mod exercises;
mod fuzz_corpus;
mod hostile;
mod hostile_answers;
mod hostile_books;
mod hostile_numbers;
mod hostile_output;
mod hostile_server;
mod live;
mod mistake_properties;
mod networks;
mod oracle;
mod properties;
mod right_answers;
mod scaling;
mod structure;
mod textbook;
