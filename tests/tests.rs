//! Integration tests: the CLI on hand-made fixtures and on the real maps.

mod util;

mod bad_input;
mod cli_check;
mod cli_plan;
mod maps;
