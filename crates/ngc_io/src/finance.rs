//! Financial plans and budgets from files. (Being written.)
