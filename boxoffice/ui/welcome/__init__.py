"""The welcome page and the guided set-up of a first venue (a fresh install that leads somewhere)."""
