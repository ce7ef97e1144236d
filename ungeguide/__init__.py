"""Ungeguide: the composition root, settings and command line."""
