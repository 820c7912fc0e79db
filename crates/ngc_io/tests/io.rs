//! The one integration-test binary of ngc_io.

mod io {
    mod pack;
    mod support;
}
