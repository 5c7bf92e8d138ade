"""The device side of sync: enroll, push the outbox, pull pages by scope, and a background worker."""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import orjson
import requests
from sqlalchemy import func, select

from boxoffice.model.devices import Conflict, LocalDevice, OutboxEntry, SyncCursor
from boxoffice.mutations.unit_of_work import Writer
from boxoffice.store.device_secret import load_secret, store_secret
from boxoffice.store.hlc import Timestamp
from boxoffice.store.ids import uuid7
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.replica import apply_changes, drop_outside, local_checkpoints, replace_rows, rows_outside
from sync.state import SyncState  # here too: where the worker's callers have always found it

PUSH_BATCH = 500


log = logging.getLogger(__name__)

class SyncError(Exception):
    """The server refused a request; the message is its reason.

    `status` is the HTTP status when the server answered, and `detail` the reason a boxoffice server
    gave (empty when whatever answered was not one: a wrong address or a web server in the way)."""

    def __init__(self, message: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status, self.detail = status, detail


class Offline(SyncError):
    """The server cannot be reached (or is busy); try again later."""


class Revoked(SyncError):
    """The organizer revoked this device: its copy must be wiped."""


class MutationRefused(SyncError):
    """The server refused one queued change outright (unknown to it, or not allowed for this role)."""

    def __init__(self, message: str, seq: int) -> None:
        super().__init__(message)
        self.seq = seq


class Outdated(SyncError):
    """The two ends speak different protocol versions: `older` is the one to update, "app" or "server"."""

    def __init__(self, message: str, detail: str, ours: int) -> None:
        super().__init__(message, 426, detail)
        # Every server so far says "this server speaks N" (older ones have no other field to read).
        spoken = re.search(r"speaks (\d+)", detail, flags=re.ASCII)
        self.older = "server" if spoken is not None and int(spoken.group(1)) < ours else "app"


class NotEnrolled(SyncError):
    """This copy is not paired with a server yet."""


@dataclass(frozen=True)
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    pending: int = 0
    online: bool = False
    rejected: int = 0


@dataclass
class _Credentials:
    server_url: str
    device_id: str
    secret: str
    token: str = ""
    token_expires: float = 0.0
    scopes: list[str] = field(default_factory=list)


class SyncClient:
    """Talks to the server for one device store. Safe to call from one background thread."""

    def __init__(self, writer: Writer, http: requests.Session | None = None, timeout: float = 20.0) -> None:
        self.writer = writer
        self.http = http or requests.Session()
        self.timeout = timeout
        # The protocol this app speaks; an older app is one whose version is lower (tests say so here).
        self.schema_version = SCHEMA_VERSION
        self._credentials: _Credentials | None = None
        self._swept = False  # whether this run has dropped the rows outside its scopes (_hold_only)

    # -- enrollment -------------------------------------------------------------------------
    def enroll(self, server_url: str, code: str | None, name: str, role: str | None = None,
               dates: list[str] | None = None, email: str | None = None, password: str | None = None
               ) -> dict[str, Any]:
        """Pair with the server by a code (organizer, profile or pairing QR) or an account's login."""
        url = server_url.rstrip("/")
        folder = self.writer.store.folder
        secret = load_secret(folder, self.writer.device_id) or None  # an enrolled device pairing again
        body = {"code": code, "email": email, "password": password, "device_id": self.writer.device_id,
                "name": name, "role": role, "dates": dates, "secret": secret}
        answer = self._request("POST", f"{url}/v1/devices/enroll", body, auth=False)
        kept = store_secret(folder, self.writer.device_id, answer["secret"])  # before the store says "paired"
        log.info("device secret kept in %s", kept)
        with self.writer.store.session() as session:
            device = session.get(LocalDevice, self.writer.device_id)
            assert device is not None
            device.server_url, device.role = url, answer["role"]
            device.organizer_id, device.scopes, device.name = answer["organizer_id"], answer["scopes"], name
            device.enrolled_at = datetime.now(UTC)
            session.commit()
        self.writer.role = answer["role"]
        self._credentials = _Credentials(url, self.writer.device_id, answer["secret"], answer["token"],
                                         time.time() + answer["expires_in"] - 30, answer["scopes"])
        return answer

    def credentials(self) -> _Credentials:
        if self._credentials is None:
            with self.writer.store.session() as session:
                device = session.get(LocalDevice, self.writer.device_id)
            secret = load_secret(self.writer.store.folder, self.writer.device_id) if device is not None else ""
            if device is None or not device.server_url or not secret:
                raise NotEnrolled("this copy is not paired with a server: run `boxoffice enroll` first")
            self._credentials = _Credentials(device.server_url, device.id, secret, scopes=list(device.scopes))
        return self._credentials

    def _token(self) -> str:
        creds = self.credentials()
        if not creds.token or creds.token_expires < time.time():
            answer = self._request("POST", f"{creds.server_url}/v1/devices/token",
                                   {"device_id": creds.device_id, "secret": creds.secret}, auth=False)
            creds.token, creds.token_expires = answer["token"], time.time() + answer["expires_in"] - 30
            creds.scopes = answer["scopes"]
        return creds.token

    # -- transport --------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: Any, auth: bool = True) -> Any:
        headers = {SCHEMA_HEADER: str(self.schema_version), "Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self._token()}"
        try:
            response = self.http.request(method, url, data=orjson.dumps(body), headers=headers, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Offline(f"the server at {url.split('/v1')[0]} cannot be reached") from exc
        if response.status_code == 503:
            raise Offline("the server is busy", 503)
        if response.status_code >= 400:
            try:
                problem = response.json()
                detail = str(problem.get("detail") or "") if isinstance(problem, dict) else ""
            except ValueError:
                problem, detail = {"detail": response.text[:200]}, ""
            if problem.get("revoked"):
                raise Revoked(str(problem.get("detail")))
            if isinstance(problem.get("seq"), int):
                raise MutationRefused(f"{response.status_code}: {problem.get('detail')}", problem["seq"])
            if response.status_code == 401 and auth and self._credentials is not None:
                self._credentials.token = ""  # expired or rotated key: one new token, then give up
            if response.status_code == 426:
                raise Outdated(f"426: {problem.get('detail')}", detail, self.schema_version)
            raise SyncError(f"{response.status_code}: {problem.get('detail')}", response.status_code, detail)
        return orjson.loads(response.content) if response.content else None

    # -- push and pull ----------------------------------------------------------------------
    def _has_repairs(self) -> bool:
        with self.writer.store.session() as session:
            return any((e.result or {}).get("repair") for e in session.scalars(
                select(OutboxEntry).where(OutboxEntry.pushed_at.is_not(None), OutboxEntry.result.is_not(None))))

    def pending(self) -> int:
        with self.writer.store.session() as session:
            count = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.pushed_at.is_(None)))
        return int(count or 0)

    def push(self) -> tuple[int, int]:
        """Send the outbox in order; returns (pushed, rejected). A refusal is kept as a conflict."""
        pushed = rejected = 0
        creds = self.credentials()
        while True:
            with self.writer.store.session() as session:
                batch = list(session.scalars(select(OutboxEntry).where(OutboxEntry.pushed_at.is_(None))
                                             .order_by(OutboxEntry.seq).limit(PUSH_BATCH)))
            if not batch:
                return pushed, rejected
            mutations = [{"seq": e.seq, "name": e.mutation, "args": orjson.loads(e.args), "hlc": e.hlc} for e in batch]
            try:
                answer = self._request("POST", f"{creds.server_url}/v1/push", {"mutations": mutations})
            except MutationRefused as refused:
                # Set the one change aside, visibly, so the queue behind it keeps flowing.
                rejected += self._record_results([{"seq": refused.seq, "status": "rejected", "reason": str(refused)}])
                pushed += 1
                continue
            rejected += self._record_results(answer["results"])
            self.writer.clock.observe(Timestamp.parse(answer["server_hlc"]))
            pushed += len(batch)

    def _record_results(self, results: list[dict[str, Any]]) -> int:
        rejected = 0
        now = datetime.now(UTC)
        with self.writer.transaction() as work:
            # One query for the batch's entries, not a get per result (500 per batch).
            entries = {e.seq: e for e in work.session.scalars(
                select(OutboxEntry).where(OutboxEntry.seq.in_([r["seq"] for r in results])))}
            for result in results:
                entry = entries.get(result["seq"])
                if entry is None:
                    continue
                touched = (entry.result or {}).get("touched", [])
                entry.pushed_at, entry.result = now, {**result, "touched": touched}
                if result["status"] == "rejected":
                    entry.result = {**entry.result, "repair": bool(touched)}
                    rejected += 1
                    details = {"reason": result["reason"], "args": entry.args[:2000]}
                    refusal = (result.get("result") or {}).get("refusal")
                    if isinstance(refusal, dict):
                        details["refusal"] = refusal
                    work.session.add(Conflict(id=uuid7(), kind="rejected_change", entity=entry.mutation,
                                              entity_id="", details=details, detected_at=now))
        return rejected

    def pull(self) -> int:
        """Pull every scope until the server has nothing more; each page commits with its cursors."""
        creds = self.credentials()
        self._token()
        self._hold_only(creds.scopes)
        pulled, restarts = 0, 0
        while True:
            with self.writer.store.session() as session:
                saved = {c.scope: c.cursor for c in session.scalars(select(SyncCursor))}
            cursors = {scope: saved.get(scope, 0) for scope in creds.scopes}
            page = self._pull_pages(f"{creds.server_url}/v1/pull", cursors)
            pulled += page.pop("pulled")
            if self._checkpoints_match(page["checkpoints"]):
                return pulled
            restarts += 1
            if restarts > 2:
                raise SyncError("this copy still differs from the server after pulling it again twice")

    def _hold_only(self, scopes: list[str]) -> None:
        """When the scopes this copy pulls changed (narrowed to other dates, a new role's projection,
        an upgrade that split scopes), drop the rows and fields it may no longer hold, and the
        cursors of the scopes it no longer pulls."""
        with self.writer.store.session() as session:
            cursors = {c.scope: c for c in session.scalars(select(SyncCursor))}
        if not cursors:  # nothing pulled yet: nothing to drop
            self._swept = True
            return
        if set(cursors) != set(scopes):
            self._drop_outside(scopes, cursors)
        elif not self._swept:
            # Once per run: an app upgrade may have moved rows to other scopes whose names did not
            # change (guest lists went to their events' scopes), and the rows that left stay here
            # unseen by any checkpoint. Reading them costs a few µs a row (0.1–0.2 s for 28,000
            # rows on a loaded 2-core machine); nothing is written unless such a row is found.
            with self.writer.store.session() as session:
                found = rows_outside(session, scopes)
            if found:
                self._drop_outside(scopes)
        self._swept = True

    def _drop_outside(self, scopes: list[str], cursors: dict[str, SyncCursor] | None = None) -> None:
        """Drop what `scopes` do not hold; with `cursors` (those saved), also move to those scopes."""
        self._swept = True
        with self.writer.transaction() as work:
            # As while pulling: the server is authoritative, rows go in any order, children included.
            work.session.connection().exec_driver_sql("PRAGMA foreign_keys=OFF")
            device = work.session.get(LocalDevice, self.writer.device_id)
            role = device.role if device is not None and device.role else "organizer"
            dropped = drop_outside(work.session, scopes, role)
            for scope in set(cursors or ()) - set(scopes):
                work.session.delete(work.session.get(SyncCursor, scope))
            for scope in set(scopes) - set(cursors) if cursors is not None else ():
                work.session.add(SyncCursor(scope=scope, cursor=0, checkpoint={}))
        log.info("this copy pulls %s: %d rows it may no longer hold were dropped", ", ".join(scopes), dropped)

    def _pull_pages(self, url: str, cursors: dict[str, int]) -> dict[str, Any]:
        """Apply pages until the last one, which is returned with the number of rows pulled.

        The next page is asked for while this one is written (its cursors are in the answer): the
        server's work and ours overlap. Pages still commit one by one, in order, each with its
        cursors, so a killed client resumes after its last committed page.
        """
        pulled = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead") as ahead:
            page = self._request("POST", url, {"cursors": cursors})
            while True:
                following = None
                if page["more"]:
                    following = ahead.submit(self._request, "POST", url, {"cursors": page["cursors"]})
                self._apply_page(page)
                pulled += len(page["changes"])
                if following is None:
                    return {**page, "pulled": pulled}
                page = following.result()

    def _apply_page(self, page: dict[str, Any]) -> None:
        with self.writer.transaction() as work:
            # Parents may arrive after children (a renamed list outnumbers its contacts): the
            # server is authoritative, so the replica does not enforce foreign keys while pulling.
            work.session.connection().exec_driver_sql("PRAGMA foreign_keys=OFF")
            top = apply_changes(work.session, page["changes"])
            for scope, cursor in page["cursors"].items():
                row = work.session.get(SyncCursor, scope) or SyncCursor(scope=scope, cursor=0, checkpoint={})
                row.cursor = cursor
                if scope in page["checkpoints"]:
                    row.checkpoint = page["checkpoints"][scope]
                work.session.add(row)
        if top:
            self.writer.clock.observe(Timestamp.parse(top))

    def _checkpoints_match(self, checkpoints: dict[str, Any]) -> bool:
        """Compare the server's count and hash per scope with ours; a mismatch re-pulls that scope."""
        matched = True
        with self.writer.store.session() as session:
            mine = local_checkpoints(session, list(checkpoints))
            for scope, expected in checkpoints.items():
                if mine[scope] != (expected["count"], expected["hash"]):
                    session.merge(SyncCursor(scope=scope, cursor=0, checkpoint={}))
                    matched = False
            session.commit()
        return matched

    def repair(self) -> int:
        """Put back, as the server has them, the rows a refused change wrote here (or drop them
        if the server never had them): a refused change must not leave this copy different."""
        creds = self.credentials()
        with self.writer.store.session() as session:
            entries = [e for e in session.scalars(select(OutboxEntry).where(OutboxEntry.pushed_at.is_not(None)))
                       if (e.result or {}).get("repair")]
        pairs = sorted({(entity, row_id) for e in entries for entity, row_id in e.result["touched"]})  # type: ignore[index]
        if not pairs:
            return 0
        answer = self._request("POST", f"{creds.server_url}/v1/rows", {"rows": pairs})
        with self.writer.transaction() as work:
            work.session.connection().exec_driver_sql("PRAGMA foreign_keys=OFF")
            replace_rows(work.session, answer["changes"], [tuple(p) for p in answer["missing"]])
            for entry in entries:
                fixed = work.session.get(OutboxEntry, entry.seq)
                assert fixed is not None
                fixed.result = {**(fixed.result or {}), "repair": False}
        return len(pairs)

    def dkim_record(self, domain: str) -> dict[str, str]:
        """The DKIM TXT record (`name`, `value`) the server signs `domain`'s invitations with."""
        creds = self.credentials()
        answer = self._request("GET", f"{creds.server_url}/v1/mail/dkim/{quote(domain, safe='')}", None)
        return {"name": str(answer["name"]), "value": str(answer["value"])}

    # -- profile codes (organizer devices only: the server answers 403 to a door or a desk) ----
    def profile_codes(self) -> list[dict[str, Any]]:
        """The organizer's profile codes with their uses, state and the devices each enrolled; never the codes."""
        creds = self.credentials()
        return list(self._request("GET", f"{creds.server_url}/v1/profiles", None))

    def create_profile_code(self, role: str, dates: list[str], hours: float, uses: int) -> dict[str, Any]:
        """A new profile code: `code` is in this answer only (the server keeps its hash), `profile` its listing."""
        creds = self.credentials()
        answer: dict[str, Any] = self._request("POST", f"{creds.server_url}/v1/profiles",
                                               {"role": role, "dates": dates, "hours": hours, "uses": uses})
        return answer

    def revoke_profile_code(self, profile_id: str, lock_out: bool = True) -> dict[str, Any]:
        """Revoke a profile code, and with `lock_out` the devices it enrolled (`locked_out` in the answer)."""
        creds = self.credentials()
        answer: dict[str, Any] = self._request(
            "POST", f"{creds.server_url}/v1/profiles/{quote(profile_id, safe='')}/revoke", {"lock_out": lock_out})
        return answer

    def sync_once(self) -> SyncReport:
        pushed, rejected = self.push()
        if rejected or self._has_repairs():
            self.repair()
        pulled = self.pull()
        return SyncReport(pushed=pushed, pulled=pulled, pending=self.pending(), online=True, rejected=rejected)


# A failed attempt waits at least this long, then twice as long each time up to the cap, plus up
# to a quarter more at random so that doors coming back after an outage do not retry in step.
MIN_BACKOFF = 1.0
JITTER = 0.25


def backoff_after(previous: float, floor: float, cap: float, draw: Callable[[], float] = random.random
                  ) -> tuple[float, float]:
    """(base, wait) after a failed attempt that followed a wait of base `previous`: the base doubles
    from at least `floor` up to `cap`; the wait adds jitter on top, so it never drops below the floor."""
    base = min(max(previous * 2, floor), max(cap, floor))
    return base, base * (1 + JITTER * draw())


class SyncWorker:
    """Pushes then pulls in its own thread whenever the server answers; backs off when it does not."""

    def __init__(self, client: SyncClient, on_state: Callable[[SyncState], None], interval: float = 5.0,
                 max_backoff: float = 60.0, while_online: Callable[[], bool] | None = None,
                 min_backoff: float = MIN_BACKOFF) -> None:
        """`while_online` runs after each sync that reached the server (a desk tops up its leases there);
        when it records changes, they are pushed at once rather than at the next interval. A failed
        attempt waits from `min_backoff`, doubling up to `max_backoff`, with jitter."""
        self.client, self.on_state, self.while_online = client, on_state, while_online
        self.interval, self.max_backoff, self.min_backoff = interval, max_backoff, min_backoff
        self.state = SyncState()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def sync_soon(self) -> None:
        self._wake.set()

    def _keep_online(self) -> bool:
        if self.while_online is None:
            return False
        try:
            return self.while_online()
        except Exception:  # the sync itself went through: the device stays online
            log.exception("the work after a sync failed")
            return False

    def _publish(self, **changes: Any) -> None:
        self.state = replace(self.state, **changes)
        self.on_state(self.state)

    def _run(self) -> None:
        # `delay` is the base of the back-off (doubled after each failure); `wait` adds the jitter.
        delay = self.interval
        while not self._stop.is_set():
            try:
                report = self.client.sync_once()
                self._publish(online=True, pending=report.pending, last_sync=datetime.now(UTC), error="",
                              outdated="", enrolled=True, pulled=report.pulled, retry_in=0.0)
                # What it records goes out at once, but only once in a row: a change the server keeps
                # refusing must not spin the loop.
                delay = wait = 0.0 if delay and self._keep_online() else self.interval
            except NotEnrolled:
                delay, wait = backoff_after(self.max_backoff, self.min_backoff, self.max_backoff)
                self._publish(online=False, enrolled=False, pending=self.client.pending(), error="", pulled=0,
                              retry_in=wait)
            except Revoked as exc:
                self._publish(online=False, revoked=True, error=str(exc), retry_in=0.0)
                return
            except SyncError as exc:
                delay, wait = backoff_after(delay, self.min_backoff, self.max_backoff)
                self._publish(online=not isinstance(exc, Offline), pending=self.client.pending(), error=str(exc),
                              outdated=exc.older if isinstance(exc, Outdated) else "", pulled=0, retry_in=wait)
            except Exception as exc:
                delay, wait = backoff_after(self.max_backoff, self.min_backoff, self.max_backoff)
                self._publish(online=False, error=f"{type(exc).__name__}: {exc}", pulled=0, retry_in=wait)
            self._wake.wait(wait)
            self._wake.clear()
