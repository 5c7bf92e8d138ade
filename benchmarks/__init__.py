"""boxoffice benchmarks: each module prints its figures next to a same-run baseline."""
