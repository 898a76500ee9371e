//! Maps with keys that are not strings (a pair of type names, an object
//! identity) written as a list of `[key, value]` pairs, so that a catalog
//! round-trips through JSON, whose object keys can only be strings.

use std::collections::BTreeMap;

use serde::de::Deserialize;
use serde::ser::Serialize;
use serde::{Deserializer, Serializer};

/// Serializes the map as a sequence of pairs, in key order.
pub fn serialize<K, V, S>(map: &BTreeMap<K, V>, serializer: S) -> Result<S::Ok, S::Error>
where
    K: Serialize,
    V: Serialize,
    S: Serializer,
{
    serializer.collect_seq(map.iter())
}

/// Reads a sequence of pairs back into a map.
pub fn deserialize<'de, K, V, D>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let pairs: Vec<(K, V)> = Vec::deserialize(deserializer)?;
    Ok(pairs.into_iter().collect())
}
