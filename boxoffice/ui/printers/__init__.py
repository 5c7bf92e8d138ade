"""The Printers page: printers, profiles, test cards, guides, recent jobs and the layout editor (PR4)."""
