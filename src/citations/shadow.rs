//! [`ShadowEntry`]: hayagriva's entry fields mirrored for serde, to check
//! a `references.yaml` entry more strictly than hayagriva does.
//!
//! Unknown keys are refused (hayagriva ignores them), and a bad value is
//! reported with its field's path (see [`SEVERAL_FORMS`] for the fields whose
//! values serde can only call "of the wrong kind").

use std::fmt;
use std::marker::PhantomData;

use hayagriva::types::{
    Date, Duration, DurationRange, EntryType, FormatString, MaybeTyped, Numeric, PageRanges,
    Person, PersonsWithRoles, Publisher, QualifiedUrl, SerialNumber,
};
use serde::de::{self, Deserializer, IgnoredAny, IntoDeserializer, Visitor};
use serde::Deserialize;

/// Mirrors hayagriva's entry fields to catch what hayagriva ignores (unknown
/// keys) and to locate what it rejects (the path and line of a bad value).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
pub(super) struct ShadowEntry {
    #[serde(rename = "type")]
    entry_type: Option<EntryType>,
    #[serde(default, deserialize_with = "one_or_many")]
    parent: Vec<ShadowEntry>,
    title: Option<FormatString>,
    #[serde(default, deserialize_with = "one_or_many")]
    author: Vec<Person>,
    date: Option<Date>,
    #[serde(default, deserialize_with = "one_or_many")]
    editor: Vec<Person>,
    #[serde(default, deserialize_with = "one_or_many")]
    affiliated: Vec<PersonsWithRoles>,
    publisher: Option<Publisher>,
    location: Option<FormatString>,
    organization: Option<FormatString>,
    issue: Option<MaybeTyped<Numeric>>,
    chapter: Option<MaybeTyped<Numeric>>,
    volume: Option<MaybeTyped<Numeric>>,
    volume_total: Option<Numeric>,
    edition: Option<MaybeTyped<Numeric>>,
    page_range: Option<MaybeTyped<PageRanges>>,
    page_total: Option<Numeric>,
    time_range: Option<MaybeTyped<DurationRange>>,
    runtime: Option<MaybeTyped<Duration>>,
    url: Option<QualifiedUrl>,
    #[serde(alias = "serial")]
    serial_number: Option<SerialNumber>,
    language: Option<IgnoredAny>,
    archive: Option<FormatString>,
    archive_location: Option<FormatString>,
    call_number: Option<FormatString>,
    note: Option<FormatString>,
    #[serde(rename = "abstract")]
    abstract_: Option<FormatString>,
    genre: Option<FormatString>,
}

/// The end of the message for a value of the wrong kind.
pub(super) const WRONG_KIND: &str = "` has a value of the wrong kind";

/// The fields whose value takes several forms (a number or text, a name or
/// a mapping): hayagriva reads them with serde's untagged enums, which can
/// only say that none of the forms fitted, so any problem with one of them
/// is reported as a value of the wrong kind for that field.
pub(super) const SEVERAL_FORMS: &[&str] = &[
    "issue",
    "chapter",
    "volume",
    "edition",
    "page-range",
    "time-range",
    "runtime",
    "serial-number",
    "serial",
    "publisher",
];

impl ShadowEntry {
    /// Whether the entry says its type (a top-level entry must).
    pub(super) fn has_type(&self) -> bool {
        self.entry_type.is_some()
    }
}

/// One value or a list of them (hayagriva's convention), keeping the inner error.
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one value or a list")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| vec![t])
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            T::deserialize(v.into_deserializer()).map(|t| vec![t])
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(OneOrMany(PhantomData))
}
