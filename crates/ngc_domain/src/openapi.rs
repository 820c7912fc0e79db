//! OpenAPI schemas of the domain's JSON (feature `openapi`): the report and the simulation
//! derive `utoipa::ToSchema`; money, years and word-valued enums are strings, described here.

/// Implements `utoipa::ToSchema` for a type serialised as a string, with a pattern or a
/// closed set of words (with the `openapi` feature; nothing without it).
#[cfg(feature = "openapi")]
#[macro_export]
#[doc(hidden)]
macro_rules! openapi_string_schema {
    ($name:ty, $pattern:expr, [$($word:literal),*]) => {
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                let words: &[&str] = &[$($word),*];
                let pattern: Option<&str> = $pattern;
                let mut b = ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String);
                if !words.is_empty() {
                    b = b.enum_values(Some(words.iter().copied()));
                }
                if let Some(p) = pattern {
                    b = b.pattern(Some(p));
                }
                b.into()
            }
        }
        impl ::utoipa::ToSchema for $name {}
    };
}

/// Without the `openapi` feature: nothing.
#[cfg(not(feature = "openapi"))]
#[macro_export]
#[doc(hidden)]
macro_rules! openapi_string_schema {
    ($($t:tt)*) => {};
}

crate::openapi_string_schema!(crate::slug::Slug, Some(r"^[a-z0-9]+(-[a-z0-9]+)*$"), []);
crate::openapi_string_schema!(crate::money::Money, Some(r"^-?[0-9]+\.[0-9]{2}$"), []);
crate::openapi_string_schema!(
    crate::finance::year::FinancialYear,
    Some(r"^[0-9]{4}-[0-9]{2}$"),
    []
);
