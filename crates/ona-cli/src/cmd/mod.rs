//! One module per subcommand.

pub mod inspect;
pub mod keygen;
pub mod open;
pub mod pubkey;
pub mod seal;
