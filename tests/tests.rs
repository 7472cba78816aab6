//! Integration tests: the CLI on hand-made fixtures and on the real maps (one binary; modules per concern).

mod util;

mod amsterdam;
mod bad_input;
mod bag;
mod cli_check;
mod cli_plan;
mod cli_query;
mod clients;
mod concurrency;
mod delft;
mod determinism;
mod kaart;
mod map;
mod maps;
mod nederlands;
mod network_cases;
mod network_oracle;
