//! Integration tests (one binary; modules per concern).

mod network_oracle;
