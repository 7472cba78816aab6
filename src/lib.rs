//! # binnenstad
//!
//! A spatial engine for planning Dutch city centres (binnenstad): it zones the
//! centre into rust / gemengd / reuring, measures walking distance over the
//! real street network from every building to every kind of voorziening,
//! scores every building's suitability as housing per doelgroep with reasons,
//! ranks transformation sites and compares scenarios.
//!
//! ## Pipeline
//! load + validate + reproject ([`io`]) → [`model::Layers`] → spatial indexes
//! and walking network ([`network`]) → zoning → reach → suitability → coverage
//! and sites → outputs. Everything between load and write is pure.
//! [`synthetic`] makes deterministic test cities of any size for benchmarks.
//!
//! ## Glossary (Dutch term – English gloss)
//! | term | meaning |
//! |---|---|
//! | binnenstad | city centre |
//! | rust | quiet (a zone character) |
//! | reuring | bustle, liveliness (a zone character) |
//! | gemengd | mixed (between rust and reuring) |
//! | sfeer | character of a zone |
//! | kernwinkelgebied | retail core: the main shopping streets |
//! | plint | ground floor facing the street |
//! | horeca | hospitality: cafés, bars, restaurants, nightclubs |
//! | doelgroep | target group for housing (starters, gezinnen, ouderen, studenten) |
//! | starters | young adults (25-45) looking for a first home |
//! | gezinnen | families with children |
//! | ouderen | elderly (65+) |
//! | studenten | students |
//! | voorzieningen | amenities, services |
//! | dagelijks aanbod | daily goods: supermarket, bakery, butcher, greengrocer |
//! | leegstand | vacancy |
//! | transformatie | change of use of a building (shop → homes) |
//! | milieucategorie | VNG environmental category of a business; sets a guide distance to homes |
//! | functiemenging | VNG classes A/B/C for businesses in mixed areas |
//! | milieuzonering | environmental zoning: VNG guide distances between businesses and homes |
//! | gemengd gebied | mixed area (VNG area type) |
//! | rustige woonwijk | quiet residential area (VNG area type) |
//! | pand | building in the BAG register |
//! | BAG | Basisregistratie Adressen en Gebouwen, the national building register |
//! | verblijfsobject | a unit in a pand (home, shop, office) with an address |
//! | gebruiksdoel | a verblijfsobject's registered use (woonfunctie, winkelfunctie ...) |
//! | oppervlakte | a verblijfsobject's usable floor area (gebruiksoppervlakte), m² |
//! | voorkomen | one version of a BAG object in the register's history |
//! | bouwjaar | construction year (`oorspronkelijkBouwjaar`) |
//! | 3D BAG | TU Delft / 3DGI's heights and storeys (bouwlagen) per pand |
//! | monument | listed building |
//! | geschikt / voorwaardelijk / ongeschikt | suitable / conditionally suitable / unsuitable |

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod crs;
pub mod error;
pub mod export;
pub mod io;
pub mod labels;
pub mod model;
pub mod network;
pub mod outputs;
pub mod plan;
pub mod query;
pub mod render;
pub mod rules;
pub mod scenario;
pub mod synthetic;

pub use error::{Diagnostic, Error, Result, Severity};
