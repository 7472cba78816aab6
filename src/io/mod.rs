//! Input and output: the only module that touches files.
//!
//! - [`bag`]: Kadaster's LV BAG extract (and the 3D BAG) → the buildings layer.
//! - [`load`]: GeoJSON layers → [`crate::model::Layers`] in the working CRS.
//! - [`number`]: one reading of floors, heights, floor areas and years (both paths).
//! - [`osm`]: OpenStreetMap (.osm, .osm.gz, .osm.pbf) → GeoJSON layers.
//! - [`write`](mod@write): model geometry → RFC 7946 GeoJSON text.
//! - [`gpkg`]: output features → one GeoPackage with the QGIS styles.
//! - [`output`]: output folders written whole or not at all.
//! - [`direct`]: large output files written past the page cache.
//! - [`validity`]: polygon validity (geo's rules) that scales to long rings.

pub mod bag;
pub mod direct;
pub mod gpkg;
pub mod load;
pub mod number;
pub mod osm;
pub mod output;
pub mod validity;
pub mod write;
