//! Browser journeys live in `tests/`; see the README.
