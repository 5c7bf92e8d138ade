"""Tests of the developer scripts in scripts/."""
