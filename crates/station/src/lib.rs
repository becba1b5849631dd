//! The station (WIP).
