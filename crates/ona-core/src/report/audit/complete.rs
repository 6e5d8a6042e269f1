//! The completion of certified protection: a target no move reaches may be one the flags alone
//! rule out.
//!
//! The targets of [`super::protect`] come from bound propagation over the flags
//! ([`super::flags`]), which reads one relation at a time. When no move reaches a target, the
//! flags-only LP ([`super::flags_lp`]) says how far the flags alone let the cell go that way:
//! if not beyond its true value, nothing published narrows it (*pinned* by the flags); if to
//! an end short of the target, a certificate is sought for that end instead (the same pattern
//! pass and LP). Only a cell whose flags-only end no move reaches is left.

use super::super::aggregate::SLOTS;
use super::super::suppress::Supp;
use super::certify::Graph;
use super::flags_lp::FlagsOnly;
use super::pattern::pattern_move;
use super::system::CellRef;

/// A move smaller than this is no move.
const MOVED: f64 = 1e-9;

/// What the completion found for one end of a primary cell's target interval.
pub(crate) enum Completion {
    /// The flags alone keep the cell from going beyond its true value that way.
    Pinned,
    /// A certificate for the end the flags allow (the moves of the cells).
    Moves(Vec<(usize, f64)>),
    /// No move reaches the end the flags allow.
    Left,
}

/// The completion for cell `i` (`cell`), whose target at `delta` from its true value no move
/// reaches; `supp`: how each cell is published now; `wants_up`: as for [`Graph::moves`].
pub(crate) fn complete(
    flags: &FlagsOnly,
    graph: &Graph,
    (i, cell): (usize, &CellRef),
    delta: f64,
    masks: &[[bool; SLOTS]],
    supp: &[Supp],
    wants_up: &[bool],
) -> Completion {
    let Some(v) = graph.value(i) else { return Completion::Left };
    let up = delta > 0.0;
    let Some(end) = flags.end(cell, up, v) else { return Completion::Left };
    let reach = end - v;
    if (up && reach <= MOVED) || (!up && reach >= -MOVED) {
        return Completion::Pinned;
    }
    if (reach - delta).abs() <= MOVED {
        // The flags allow the whole target: it was already sought.
        return Completion::Left;
    }
    let found = pattern_move(graph, i, reach, masks, supp).or_else(|| {
        let vars = graph.near(i, None, supp);
        graph.moves(i, reach, &vars, supp, wants_up)
    });
    found.map_or(Completion::Left, Completion::Moves)
}
