//! Official returns (RS, RA, council tax requirement) from workbooks. (Being written.)
