"""Card, badge and ticket printing: layouts to PDF, printer profiles, CUPS and Windows spooler backends."""
