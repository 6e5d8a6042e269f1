//! The packed decoder: a serde `Deserializer` reading the compact form described in the module
//! docs of [`super`]. Every length and index is checked against the data; malformed input is an
//! error, never a panic. What one record may expand to is capped ([`MAX_LIST_LEN`],
//! [`MAX_DECODED_PER_RECORD`]): the attacker in view writes a small block of one-byte dictionary
//! references that would otherwise decode to a gigabyte of strings.

use super::encode::MAX_FIELDS;
use super::wire::{
    get_varint, interned, unpack_pseudonym, CodecError, TAG_DICT, TAG_LITERAL, TAG_PSEUDONYM,
};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::{MAX_DECODED_PER_RECORD, MAX_LIST_LEN};

/// What one list element is charged against [`MAX_DECODED_PER_RECORD`], besides its strings:
/// about the memory a decoded element takes at least.
const ELEMENT_COST: usize = 32;

/// Reads values from one block body, with the block's string dictionary.
pub(crate) struct Decoder<'a, 'de> {
    input: &'de [u8],
    pub(crate) pos: usize,
    dict: &'a mut Vec<String>,
    /// Bytes this record may still decode to ([`MAX_DECODED_PER_RECORD`] at the start).
    left: usize,
}

impl<'a, 'de> Decoder<'a, 'de> {
    /// A decoder of one record at `pos` of `input`, with the dictionary of the block so far.
    pub(crate) fn new(input: &'de [u8], pos: usize, dict: &'a mut Vec<String>) -> Self {
        Decoder { input, pos, dict, left: MAX_DECODED_PER_RECORD }
    }

    /// Charges `n` decoded bytes to the record, failing once it would exceed its cap.
    #[inline]
    fn charge(&mut self, n: usize) -> Result<(), CodecError> {
        self.left = self.left.checked_sub(n).ok_or_else(|| {
            CodecError::new(&format!(
                "a record decodes to more than {} MiB",
                MAX_DECODED_PER_RECORD >> 20
            ))
        })?;
        Ok(())
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, CodecError> {
        let b =
            *self.input.get(self.pos).ok_or_else(|| CodecError::new("unexpected end of data"))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, CodecError> {
        get_varint(self.input, &mut self.pos)
    }

    #[inline]
    fn take(&mut self, n: u64) -> Result<&'de [u8], CodecError> {
        let end = usize::try_from(n)
            .ok()
            .and_then(|n| self.pos.checked_add(n))
            .filter(|e| *e <= self.input.len())
            .ok_or_else(|| CodecError::new("a length runs past the end of the data"))?;
        let s = &self.input[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// A count of elements, each of which takes at least one byte, at most [`MAX_LIST_LEN`].
    fn count(&mut self) -> Result<usize, CodecError> {
        let n = self.varint()?;
        let n = usize::try_from(n)
            .ok()
            .filter(|n| *n <= self.input.len() - self.pos)
            .ok_or_else(|| CodecError::new("a count exceeds the data left"))?;
        if n > MAX_LIST_LEN {
            return Err(CodecError::new(&format!("a list has more than {MAX_LIST_LEN} elements")));
        }
        self.charge(n.saturating_mul(ELEMENT_COST))?;
        Ok(n)
    }

    fn signed(&mut self) -> Result<i64, CodecError> {
        let z = self.varint()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    fn string<V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, CodecError> {
        match self.varint()? {
            TAG_LITERAL => {
                let len = self.varint()?;
                let bytes = self.take(len)?;
                let s = std::str::from_utf8(bytes)
                    .map_err(|_| CodecError::new("a string is not UTF-8"))?;
                self.charge(s.len())?;
                if interned(s.len(), self.dict.len()) {
                    self.dict.push(s.to_owned());
                }
                v.visit_borrowed_str(s)
            }
            TAG_PSEUDONYM => {
                let mut bits = [0u8; 16];
                bits.copy_from_slice(self.take(16)?);
                let chars = unpack_pseudonym(bits);
                self.charge(chars.len())?;
                let s = std::str::from_utf8(&chars)
                    .map_err(|_| CodecError::new("a pseudonym is not ASCII"))?;
                v.visit_str(s)
            }
            tag => {
                let i = usize::try_from(tag - TAG_DICT)
                    .ok()
                    .filter(|i| *i < self.dict.len())
                    .ok_or_else(|| CodecError::new("a string refers past the dictionary"))?;
                self.charge(self.dict[i].len())?;
                v.visit_str(&self.dict[i])
            }
        }
    }

    fn fields<V: Visitor<'de>>(&mut self, n: usize, v: V) -> Result<V::Value, CodecError> {
        if n > MAX_FIELDS {
            return Err(CodecError::new("a struct has more than 64 fields"));
        }
        let mut le = [0u8; 8];
        le[..n.div_ceil(8)].copy_from_slice(self.take(n.div_ceil(8) as u64)?);
        let bits = u64::from_le_bytes(le);
        if n < 64 && bits >> n != 0 {
            return Err(CodecError::new("a struct marks fields it does not have"));
        }
        v.visit_map(Fields { de: self, bits, next: 0 })
    }
}

fn narrow<T: TryFrom<u64>>(v: u64) -> Result<T, CodecError> {
    T::try_from(v).map_err(|_| CodecError::new("a number is out of range for its field"))
}

fn narrow_signed<T: TryFrom<i64>>(v: i64) -> Result<T, CodecError> {
    T::try_from(v).map_err(|_| CodecError::new("a number is out of range for its field"))
}

macro_rules! unsigned {
    ($($method:ident: $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
            let n = self.varint()?;
            v.$visit(narrow(n)?)
        }
    )*};
}

macro_rules! signed {
    ($($method:ident: $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
            let n = self.signed()?;
            v.$visit(narrow_signed(n)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Decoder<'_, 'de> {
    type Error = CodecError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, CodecError> {
        Err(CodecError::new("the packed form is not self-describing"))
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        match self.byte()? {
            0 => v.visit_bool(false),
            1 => v.visit_bool(true),
            _ => Err(CodecError::new("a boolean is neither 0 nor 1")),
        }
    }
    unsigned!(deserialize_u8: visit_u8, deserialize_u16: visit_u16, deserialize_u32: visit_u32,
              deserialize_u64: visit_u64);
    signed!(deserialize_i8: visit_i8, deserialize_i16: visit_i16, deserialize_i32: visit_i32,
            deserialize_i64: visit_i64);
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        v.visit_f32(f32::from_le_bytes(b))
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        v.visit_f64(f64::from_le_bytes(b))
    }
    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.string(v)
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.string(v)
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.string(v)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        let len = self.varint()?;
        v.visit_borrowed_bytes(self.take(len)?)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.deserialize_bytes(v)
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        match self.byte()? {
            0 => v.visit_none(),
            1 => v.visit_some(self),
            _ => Err(CodecError::new("an optional value is neither 0 nor 1")),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        v.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, CodecError> {
        v.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, CodecError> {
        v.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        let left = self.count()?;
        v.visit_seq(Counted { de: self, left })
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, CodecError> {
        v.visit_seq(Counted { de: self, left: len })
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, CodecError> {
        v.visit_seq(Counted { de: self, left: len })
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        let left = self.count()?;
        v.visit_map(Counted { de: self, left })
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.fields(fields.len(), v)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, CodecError> {
        v.visit_enum(self)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.string(v)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, CodecError> {
        Err(CodecError::new("the packed form cannot skip an unknown value"))
    }
    fn is_human_readable(&self) -> bool {
        true
    }
}

/// The elements of a sequence or the entries of a map, counted.
struct Counted<'b, 'a, 'de> {
    de: &'b mut Decoder<'a, 'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Counted<'_, '_, 'de> {
    type Error = CodecError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, CodecError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Counted<'_, '_, 'de> {
    type Error = CodecError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, CodecError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, CodecError> {
        seed.deserialize(&mut *self.de)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The present fields of a struct, named by their index in declaration order.
struct Fields<'b, 'a, 'de> {
    de: &'b mut Decoder<'a, 'de>,
    bits: u64,
    next: u32,
}

impl<'de> de::MapAccess<'de> for Fields<'_, '_, 'de> {
    type Error = CodecError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, CodecError> {
        let rest = self.bits.checked_shr(self.next).unwrap_or(0);
        if rest == 0 {
            return Ok(None);
        }
        let i = self.next + rest.trailing_zeros();
        self.next = i + 1;
        let key: de::value::U32Deserializer<CodecError> = i.into_deserializer();
        seed.deserialize(key).map(Some)
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, CodecError> {
        seed.deserialize(&mut *self.de)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Decoder<'_, 'de> {
    type Error = CodecError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), CodecError> {
        let i: u32 = narrow(self.varint()?)?;
        let key: de::value::U32Deserializer<CodecError> = i.into_deserializer();
        Ok((seed.deserialize(key)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Decoder<'_, 'de> {
    type Error = CodecError;
    fn unit_variant(self) -> Result<(), CodecError> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, CodecError> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, CodecError> {
        v.visit_seq(Counted { de: self, left: len })
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.fields(fields.len(), v)
    }
}
