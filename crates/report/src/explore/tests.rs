//! Tests of the explore page: its data, its safety and its size.
