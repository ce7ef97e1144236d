"""Benchmarks: commands that print figures. Run with `make bench`; never part of the test run."""
