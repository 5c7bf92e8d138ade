"""The DKIM-Signature header of one message (RFC 6376, rsa-sha256, relaxed/relaxed), made quickly.

dkimpy signs with RSA in pure Python (two 1,024-bit `pow`s, 6 ms a message on our machine) and
compresses every single space of the body with a regular expression (2 ms for an 86 KB invitation):
a thousand guests cost the sender more in signing than in sending. Here the message is split and
its headers canonicalised by dkimpy's own functions, the body's white space is compressed only where
it changes something (runs, tabs), and the RSA signature comes from `cryptography` (OpenSSL, 0.5 ms).
tests/sync/mail/test_dkim.py checks the result with dkimpy's verifier and the body's canonical form
against dkimpy's on generated bodies.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Sequence

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from dkim import rfc822_parse
from dkim.canonicalization import Relaxed, correct_empty_body, strip_trailing_lines

# A run of two or more, or a tab: a single space becomes a single space, so it is left where it is.
_SPACE_RUNS = re.compile(b"[\t ]{2,}|\t")
_FOLD_AT = 76


def relaxed_body(body: bytes) -> bytes:
    """The body as relaxed canonicalization (RFC 6376 3.4.4) hashes it, byte for byte dkimpy's.

    Line by line: a regular expression over the whole body tries a match at every byte (2.8 ms for
    86 KB), while most lines of a message (base64) hold no white space at all. As in dkimpy, white
    space is stripped before a CRLF only, so not after the last one.
    """
    lines = body.split(b"\r\n")
    last = len(lines) - 1
    for index, line in enumerate(lines):
        if b" " in line or b"\t" in line:
            lines[index] = _SPACE_RUNS.sub(b" ", line.rstrip(b" \t") if index < last else line)
    return correct_empty_body(strip_trailing_lines(b"\r\n".join(lines)))


def _split(message: bytes) -> tuple[list[list[bytes]], bytes]:
    """Header fields and body as dkimpy's parser gives them; only the headers parsed when every line
    ends in CRLF (as the sender writes them), since splitting the whole body costs 0.8 ms a message."""
    end = message.find(b"\r\n\r\n")
    if end < 0 or message.count(b"\n") != message.count(b"\r\n"):
        return rfc822_parse(message)
    headers, _nothing = rfc822_parse(message[:end + 4])
    return headers, message[end + 4:]


def _chosen(headers: list[list[bytes]], names: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
    """The header fields `names` sign, each name taking its last occurrence not taken yet (RFC 6376 5.4.2)."""
    left = list(headers)
    chosen = []
    for name in names:
        for index in range(len(left) - 1, -1, -1):
            if left[index][0].lower() == name:
                chosen.append((left[index][0], left[index][1]))
                del left[index]
                break
    return chosen


def _folded(tags: list[bytes]) -> bytes:
    """`tags` joined by "; ", a new line before a tag that would pass the fold width."""
    lines, line = [], b"DKIM-Signature:"
    for tag in tags:
        if len(line) + 1 + len(tag) > _FOLD_AT and line != b"DKIM-Signature:":
            lines.append(line)
            line = b""
        line += b" " + tag
    return b"\r\n".join([*lines, line])


def signature_header(message: bytes, domain: bytes, selector: bytes, key: RSAPrivateKey,
                     names: Sequence[bytes], now: int | None = None) -> bytes:
    """The header line(s) to put in front of `message`, ending in CRLF."""
    headers, body = _split(message)
    chosen = _chosen(headers, names)
    body_hash = base64.b64encode(hashlib.sha256(relaxed_body(body)).digest())
    stamp = str(int(time.time()) if now is None else now).encode()
    tags = [b"v=1;", b"a=rsa-sha256;", b"c=relaxed/relaxed;", b"d=" + domain + b";", b"i=@" + domain + b";",
            b"q=dns/txt;", b"s=" + selector + b";", b"t=" + stamp + b";",
            b"h=" + b" : ".join(name for name, _value in chosen) + b";", b"bh=" + body_hash + b";"]
    unsigned = _folded([*tags, b"b="])
    name, value = unsigned.split(b":", 1)
    signed_part = b"".join(n + b":" + v for n, v in Relaxed.canonicalize_headers(chosen))
    # The signature header itself is hashed last, with b= empty and without its final CRLF.
    [(own_name, own_value)] = Relaxed.canonicalize_headers([(name, value)])
    signature = base64.b64encode(key.sign(signed_part + own_name + b":" + own_value[:-2],
                                          padding.PKCS1v15(), hashes.SHA256()))
    pieces = [signature[at:at + _FOLD_AT] for at in range(0, len(signature), _FOLD_AT)]
    return unsigned + b"\r\n " + b"\r\n ".join(pieces) + b"\r\n"
