//! Sync between a device and the central server: the wire protocol both
//! sides share ([`protocol`]) and, with the `client` feature, the device's
//! client that drains the store's outbox ([`client`]).

pub mod codec;
pub mod protocol;

#[cfg(feature = "client")]
pub mod client;
