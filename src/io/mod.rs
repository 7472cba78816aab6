//! Reading and writing files: the only module that touches the file system.

pub mod osm;
