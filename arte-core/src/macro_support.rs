//! Items only the macros' expansions use, reached through `arte_core::__private`.
