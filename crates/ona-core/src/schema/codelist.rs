//! The machinery behind codelists: every code is a stable ASCII id, typed in Rust as an enum
//! variant, and labelled in seven languages from data (`data/codelists.json`).

/// A codelist: a closed set of codes with stable ASCII ids.
pub trait Codelist: Sized + Copy + 'static {
    /// The id of the list, e.g. `referral_source`.
    const LIST: &'static str;
    /// Every code of the list, in the list's order.
    const ALL: &'static [Self];
    /// The stable ASCII id of this code.
    fn id(self) -> &'static str;
    /// The code with this id, if the list has one.
    fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.id() == id)
    }
    /// The label of this code in `lang`.
    fn label(self, lang: super::Lang) -> &'static str {
        super::labels::label(Self::LIST, self.id(), lang).unwrap_or_else(|| self.id())
    }
}

/// The id is not a code of the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?} is not a code of the codelist {list}")]
pub struct UnknownCode {
    /// The list searched.
    pub list: &'static str,
    /// The id given.
    pub code: String,
}

/// Defines a codelist enum with its ids, serde, JSON Schema and [`Codelist`] impls.
macro_rules! codelist {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $list:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::schema::Codelist for $name {
            const LIST: &'static str = $list;
            const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];
            fn id(self) -> &'static str {
                match self { $( Self::$variant => $id ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::schema::Codelist::id(*self))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::schema::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::schema::Codelist>::from_id(s)
                    .ok_or_else(|| $crate::schema::UnknownCode { list: $list, code: s.to_string() })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::schema::Codelist::id(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::schema::from_text(d, concat!("a code of the codelist ", $list))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "type": "string",
                    "enum": [ $( $id ),+ ],
                    "x-codelist": $list,
                    "description": concat!("Code of the codelist `", $list, "`.")
                })
            }
        }
    };
}
pub(crate) use codelist;
