"""The Passes page: pass editor, pass sales with holder photo, resale payouts."""
