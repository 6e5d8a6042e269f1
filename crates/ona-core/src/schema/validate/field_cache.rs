//! Where a struct field's schema node is, remembered per thread: serde gives the typed walker
//! every field name as a `'static` string, so after a field's first visit its property is found
//! by comparing a node id and the name's address and length — no text compared.

use super::compiled::Node;
use std::cell::RefCell;

/// Slots of the cache (a record of the standard has fewer distinct fields).
const SLOTS: usize = 1024;

/// (node id + 1, name address, name length, property position or `u32::MAX` for none).
type Slot = (u32, usize, usize, u32);

thread_local! {
    // Constant-initialised and without a destructor: an access is a plain thread-local load.
    static CACHE: RefCell<[Slot; SLOTS]> = const { RefCell::new([(0, 0, 0, 0); SLOTS]) };
}

/// The position of property `name` in `node`, if it has one.
pub(crate) fn position(node: &Node, name: &'static str) -> Option<usize> {
    // A `'static` string is never freed, so its address and length identify its text for the
    // life of the process; node ids are never reused.
    let (id, addr, len) = (node.id + 1, name.as_ptr() as usize, name.len());
    let h = (u64::from(id) ^ (addr as u64).rotate_left(20) ^ len as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let slot = (h >> (64 - SLOTS.trailing_zeros())) as usize;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let (sid, saddr, slen, pos) = c[slot];
        if (sid, saddr, slen) == (id, addr, len) {
            return (pos != u32::MAX).then_some(pos as usize);
        }
        let found = node.prop(name).map(|(i, _)| i);
        c[slot] = (id, addr, len, found.map_or(u32::MAX, |i| i as u32));
        found
    })
}
