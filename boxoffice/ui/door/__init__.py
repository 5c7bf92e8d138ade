"""The Door page (D1–D10, G13): setup, the full-screen scan view, search with manual check-in, scanners."""
