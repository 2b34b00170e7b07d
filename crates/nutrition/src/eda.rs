//! EDA.
