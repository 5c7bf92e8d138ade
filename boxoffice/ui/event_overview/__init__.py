"""The event overview (T2): status, door code, sales per rate and date, customers and their answers."""
