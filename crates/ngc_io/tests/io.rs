//! The one integration-test binary of ngc_io.

mod io {
    mod contracts;
    mod finance;
    mod pack;
    mod returns;
    mod support;
}
