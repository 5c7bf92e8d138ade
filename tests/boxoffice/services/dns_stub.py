"""A local DNS server on 127.0.0.1 answering TXT queries from a dict, for the sender check's tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


@contextmanager
def dns_stub(records: dict[str, list[str]], silent: frozenset[str] = frozenset()) -> Iterator[int]:
    """Serve `records` (domain -> TXT strings) over UDP; names in `silent` get no answer at all.

    Yields the port. Unknown names get NXDOMAIN, as a real server would say.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                wire, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(wire)
            question = query.question[0]
            name = question.name.to_text().rstrip(".")
            if name in silent:
                continue
            reply = dns.message.make_response(query)
            if name not in records:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT and records[name]:
                texts = [" ".join(f'"{piece}"' for piece in _pieces(text.replace('"', '\\"')))
                         for text in records[name]]
                reply.answer.append(dns.rrset.from_text(question.name, 300, "IN", "TXT", *texts))
            sock.sendto(reply.to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        sock.close()


def _pieces(text: str) -> list[str]:
    """A TXT record longer than 255 characters (a DKIM key) goes as several strings, as DNS requires."""
    return [text[start:start + 255] for start in range(0, len(text), 255)] or [""]
