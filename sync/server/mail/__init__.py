"""The server's mail sender: a queue of messages in the database, rendered per guest and sent over SMTP."""
