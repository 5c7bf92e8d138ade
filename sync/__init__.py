"""Replication between devices and the server: wire protocol, named mutations, client, server."""
