"""Digests, proofs, verification and case exports over the real storage (SQLite or PostgreSQL).

Digests and proofs come from the stored subtrees (O(log n) nodes). Verification never trusts
them: it reads every stored row back from the event store's own table, recomputes every hash
and compares with the table, the subtrees and a saved digest (`ledger.verification`,
`ledger.witness_check`). A row's hashes come straight from its stored JSON
(`ledger.stored_canonical`, the same bytes as decoding it would give) or, where that cannot
answer, from decoding it. It lives here, not at the edge, because the GraphQL layer serves it too.
"""

from __future__ import annotations

import gc
import logging
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from ledger.chain_check import StoredBytes
from ledger.event_bytes import hash_format, plain_state
from ledger.integrity import canonical_record
from ledger.proofs import subtree_levels
from ledger.range_check import checked_rows
from ledger.stored_canonical import EveryStream, StoredCanonical
from ledger.streamed_check import Checked, checked_range, verify_streamed
from ledger.verification import HashedRow, Report, SavedDigest, Stored, Tree, Witness, verify
from ledger.witness_check import against_subtrees
from projections.db import ReadDatabase
from projections.integrity_export import export_document
from projections.integrity_projection import HashTable
from projections.joined_reads import JoinedReads
from projections.parallel_hashing import (
    FAILURES,
    PARALLEL_FROM,
    WORKERS,
    WorkerFailed,
    hashed_ranges,
    source_of,
    tables_of,
)
from projections.stored_rows import Streams, stored_reader

BATCH = 1000
#: Rows read at once by `verify`'s scan (progress is still told every BATCH).
READ_BATCH = 5000


@dataclass(frozen=True)
class Digest:
    size: int
    root: str
    last_position: int | None
    computed_at: datetime

    def saved(self) -> dict[str, Any]:
        """What an auditor keeps (`pact-ledger verify --digest` reads it back)."""
        return {"size": self.size, "root": self.root, "last_position": self.last_position,
                "computed_at": self.computed_at.isoformat()}


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    root: str
    path: list[str]


@dataclass(frozen=True)
class ConsistencyProof:
    from_size: int
    to_size: int
    from_root: str
    to_root: str
    path: list[str]

_log = logging.getLogger(__name__)


def _decode(app: Application, position: int | None, item: StoredEvent) -> Stored:
    stream, version = str(item.originator_id), item.originator_version
    try:
        event = app.mapper.to_domain_event(item)
        return Stored(position, stream, version, event, topic=item.topic,
                      state=plain_state(app.mapper, item))
    except Exception as error:  # the row is reported, not raised
        return Stored(position, stream, version, None, f"{type(error).__name__}: {error}")


def _tuples(db: ReadDatabase, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows as plain tuples: building a dict per row would cost `verify` more than its check."""
    if getattr(db, "dialect", "") == "postgres":
        from psycopg.rows import tuple_row

        pool: Any = getattr(db, "pool")  # noqa: B009 - a PostgresDatabase (or its tracer)
        with pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall()
    connect = getattr(db, "_connection", None)  # an SQLiteDatabase (or its tracer)
    if connect is None:
        return [tuple(row.values()) for row in db.fetchall(sql, params)]
    cursor = connect().cursor()
    cursor.row_factory = None
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


def _counted(rows: Iterator[Stored | HashedRow], total: int,
             progress: Callable[[int, int], None]) -> Iterator[Stored | HashedRow]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % BATCH == 0:
            progress(done, total)
    progress(done, max(total, done))


def _counted_batches(batches: Iterator[list[Stored | HashedRow] | Checked], total: int,
                     progress: Callable[[int, int], None]
                     ) -> Iterator[list[Stored | HashedRow] | Checked]:
    """`_counted` of a batched scan: told after each batch that reaches another `BATCH`."""
    done = 0
    for batch in batches:
        yield batch
        before, done = done, done + len(batch)
        if done // BATCH > before // BATCH:
            progress(done, total)
    progress(done, max(total, done))


def _one_by_one(app: Application, start: int, count: int = BATCH) -> Iterator[Stored]:
    for position in range(start, start + count):
        try:
            found = app.recorder.select_notifications(position, 1, stop=position)
        except Exception as error:
            yield Stored(position, "(unreadable)", 0, None, f"{type(error).__name__}: {error}")
            continue
        yield from (_decode(app, n.id, n) for n in found)


class IntegrityQueries:
    def __init__(self, db: ReadDatabase, events: Application | None = None,
                 helpers: int | None = None) -> None:
        self.table = HashTable(db)
        self.events = events
        #: From this many events on, `verify_ledger` hashes in worker processes...
        self.parallel_from = PARALLEL_FROM
        #: ...this many (the operator's `PACT_LEDGER_HELPER_PROCESSES`, at most the default;
        #: 0: none, every row is hashed in this process).
        self.workers = WORKERS if helpers is None else min(WORKERS, helpers)
        self.joined = JoinedReads(partial(_tuples, db), getattr(db, "dialect", "sqlite"))

    # --- from the hash table --------------------------------------------------------------
    def digest(self) -> Digest:
        """From the stored subtrees (O(log n) nodes), extended by leaves they do not hold yet."""
        tree = self.table.tree()
        assert tree is not None  # the whole tree always exists
        return Digest(tree.size, tree.root().hex(), tree.last_position(), datetime.now(UTC))

    def inclusion(self, position: int, tree_size: int | None = None) -> InclusionProof | None:
        """Proof that the event at `position` is in the tree of the first `tree_size` events."""
        if position < 0 or (tree_size is not None and tree_size < 1):
            return None  # no such event, no such tree (and never a negative SQL LIMIT)
        tree = self.table.tree(tree_size)
        index = None if tree is None else tree.index_of(position)
        if tree is None or index is None:
            return None
        return InclusionProof(index, tree.size, tree.root().hex(),
                              [p.hex() for p in tree.inclusion(index)])

    def consistency(self, from_size: int, to_size: int | None = None) -> ConsistencyProof | None:
        """Proof that the tree of `to_size` events extends the tree of the first `from_size`."""
        if to_size is not None and to_size < 1:
            return None
        tree = self.table.tree(to_size)
        if tree is None or not 0 <= from_size <= tree.size:
            return None
        return ConsistencyProof(from_size, tree.size, tree.prefix_root(from_size).hex(),
                                tree.root().hex(), [p.hex() for p in tree.consistency(from_size)])

    # --- from the stored rows -------------------------------------------------------------
    def _app(self) -> Application:
        if self.events is None:
            raise RuntimeError("verification needs the event store (ReadModels.over(events=))")
        return self.events

    def scan(self) -> Iterator[Stored | HashedRow]:
        """Every stored row in log order (`scan_batches`, row by row)."""
        for batch in self.scan_batches():
            assert not isinstance(batch, Checked)  # (asked for rows)
            yield from batch

    def scan_batches(self, checked: bool = False, tree: tuple[int, int] | None = None,
                     member_states: bool = True
                     ) -> Iterator[list[Stored | HashedRow] | Checked]:
        """Every stored row in log order, straight from the event table, a batch at a time:
        hashed from its stored JSON, or decoded where that cannot answer (and a batch the
        recorder's own reading finds unreadable, one row at a time). `checked`: a batch of
        plainly hashed rows whose chains hold within it comes as a `Checked`
        (`ledger.range_check`, what the one-pass check takes); `tree`: (the hash table's last
        position, the leaves the stored subtrees cover): a worker's `Checked` also says what
        it matched of them (`ledger.streamed_check.range_subtrees`); `member_states` False: no
        row is parsed to find its stream's member state (`EveryStream`: the rows' member states
        are then not all said)."""
        app = self._app()
        found = stored_reader(app)
        if found is None:
            yield from self._decoding_batches()
            return
        # rows with their stream ids as stored (`ids` gives each as `str(UUID)`): a batch is
        # converted row by row (`Streams.rows`) only where `checked_rows` does not take it
        read_stored, ids = found
        twin, start = StoredCanonical(app.mapper), 1
        named = set[str]() if member_states else EveryStream()
        last = app.recorder.max_notification_id() or 0
        source = source_of(app) if (last >= self.parallel_from and self.workers > 0
                                    and twin.enabled) else None
        stored = self._stored
        if source is not None:
            tables = tables_of(self.table.db) if tree is not None else None
            source = replace(source, tables=tables)
            named_before = set[str]()  # the streams earlier ranges named a member state for
            try:
                for lo, hi, readable, results in hashed_ranges(
                        source, last, checked, tree if tables is not None else None,
                        self.workers, member_states=member_states):
                    if isinstance(results, Checked):
                        if member_states and any(s not in named_before
                                                 for s in results.uncertain):
                            # a stream the worker took for named was not: checked here again,
                            # knowing which are (`ledger.range_check.checked_rows`)
                            results = self._checked_again(
                                twin, read_stored, lo, hi, set(named_before), ids)
                        named_before.update(s for s, _ in results.states)
                        yield results
                    elif readable:
                        yield results if all(len(item) == 7 for item in results) else \
                            [item if len(item) == 7 else stored(app, item) for item in results]
                    else:
                        yield list(self._decoded_range(lo, hi))
                    start = hi + 1
            except (OSError, EOFError, pickle.UnpicklingError, WorkerFailed) as error:
                # a worker failed (it said why here or on standard error): go on in this
                # process, saying so (a benchmark must not take it for the workers' figures)
                failure = f"verify's workers failed ({type(error).__name__}: {error}); " \
                    f"positions {start}.. are checked in this process"
                FAILURES.append(failure)
                _log.warning(failure)
        while True:
            try:
                rows = read_stored(start, READ_BATCH)
            except Exception:  # the recorder's reading finds what it cannot read
                rows = None
            if checked and rows and (done := checked_rows(twin, rows, named, ids)) is not None:
                yield done[0]
                start = rows[-1][0] + 1
                continue
            if rows is not None and ids.dashed:
                rows = ids.rows(rows)
            if rows is None or any(row[1] is None for row in rows):
                batch, after = self._decoding_batch(start, READ_BATCH)
                yield list[Stored | HashedRow](batch)
                if after is None:
                    return
                start = after
                continue
            if not rows:
                return
            results = twin.hashed_rows(rows, named)  # type: ignore[arg-type]
            if checked and (whole := checked_range(results)) is not None:
                yield whole
            else:
                yield results if all(len(item) == 7 for item in results) else \
                    [item if len(item) == 7 else stored(app, item) for item in results]
            start = rows[-1][0] + 1

    def _checked_again(self, twin: StoredCanonical, read_stored: Any, lo: int, hi: int,
                       named: set[str], streams: Streams) -> Checked:
        """A worker's range lo..hi checked in this process, `named` the streams named before
        it (the rows' ids as stored, `streams` giving each as `str(UUID)`); a range that is
        not one `Checked` cannot come from a worker (it sent one)."""
        try:
            rows = read_stored(lo, hi - lo + 1)
        except Exception:  # (the recorder's reading finds what it cannot read)
            rows = None
        done = None if rows is None else checked_rows(twin, rows, named, streams)
        if done is None:
            raise WorkerFailed(f"positions {lo}..{hi} read otherwise than a worker read them")
        return done[0]

    def _stored(self, app: Application, item: tuple[Any, ...]) -> Stored | HashedRow:
        """A worker's result (`projections.parallel_hashing`) as a row for `verify`."""
        if len(item) == 5:
            position, stream, version, topic, state = item
            return _decode(app, position, StoredEvent(UUID(stream), version, topic, state))
        return item  # type: ignore[return-value]  # (position, stream, version, *Hashed)

    def _decoded_range(self, lo: int, hi: int) -> Iterator[Stored]:
        """Positions lo..hi the library's way (a batch it cannot read, one row at a time)."""
        app, start = self._app(), lo
        while start <= hi:
            try:
                notifications = app.recorder.select_notifications(start, BATCH, stop=hi)
            except Exception:
                yield from _one_by_one(app, start, min(BATCH, hi - start + 1))
                start += BATCH
                continue
            if not notifications:
                return
            for n in notifications:
                yield _decode(app, n.id, n)
            start = notifications[-1].id + 1

    def _record_at(self, position: int | None) -> dict[str, Any] | StoredBytes:
        """What a row's hash covers, read again (a renumbering's explanation needs it)."""
        assert position is not None  # every row read from the table has one
        app = self._app()
        found, = app.recorder.select_notifications(position, 1, stop=position)
        event = app.mapper.to_domain_event(found)
        if hash_format(event) >= 3:
            return StoredBytes(found.topic, str(found.originator_id),
                               plain_state(app.mapper, found))
        return canonical_record(event)

    def _decoding_batch(self, start: int, limit: int) -> tuple[list[Stored], int | None]:
        """Rows from `start` the library's way, and where the next batch starts (None: the
        end); a batch the recorder cannot read goes one position at a time."""
        app = self._app()
        try:
            notifications = app.recorder.select_notifications(start, limit)
        except Exception:
            if start > (app.recorder.max_notification_id() or 0):
                raise
            return list(_one_by_one(app, start, limit)), start + limit
        if not notifications:
            return [], None
        return [_decode(app, n.id, n) for n in notifications], notifications[-1].id + 1

    def _decoding_batches(self) -> Iterator[list[Stored | HashedRow]]:
        """Every stored row in log order, through the recorder, decoded, a batch at a time."""
        start: int | None = 1
        while start is not None:
            batch, start = self._decoding_batch(start, BATCH)
            yield list[Stored | HashedRow](batch)

    def _witness(self) -> list[Witness]:
        """The whole hash table, in position order (`HashTable.witness`, as plain tuples)."""
        return [Witness(p, s, v, h, leaf) for p, s, v, h, leaf in _tuples(
            self.table.db, "SELECT position, stream, stream_version, hash, leaf_hash FROM "
            "event_hashes ORDER BY position")]

    def _subtrees(self, page: int = 100_000) -> Iterator[tuple[int, int, str, int | None]]:
        """Every stored node as (level, index, hash, position), a page at a time
        (`HashTable.subtrees`, as plain tuples)."""
        level, index = 0, -1
        while True:
            rows = _tuples(self.table.db, "SELECT level, idx, hash, position FROM merkle_nodes "
                           "WHERE level > ? OR (level = ? AND idx > ?) ORDER BY level, idx "
                           "LIMIT ?", (level, level, index, page))
            yield from rows
            if len(rows) < page:
                return
            level, index = rows[-1][0], rows[-1][1]

    def _leaves(self, after: int, upto: int) -> list[tuple[int, str]]:
        """The hash table's (position, leaf hash) with after < position <= upto, in position
        order."""
        if upto <= after:
            return []
        return _tuples(self.table.db, "SELECT position, leaf_hash FROM event_hashes WHERE "
                       "position > ? AND position <= ? ORDER BY position", (after, upto))

    def _nodes(self, level: int, lo: int, hi: int) -> list[tuple[Any, ...]]:
        """The stored subtrees of `level` with lo <= index < hi, in index order: (index, hash,
        position) on level 0, (index, hash) above (`ledger.streamed_check`)."""
        columns = "idx, hash, position" if level == 0 else "idx, hash"
        return _tuples(self.table.db, f"SELECT {columns} FROM merkle_nodes WHERE level = ? "
                       "AND idx >= ? AND idx < ? ORDER BY idx", (level, lo, hi))

    def _joined_leaves(self, after: int, upto: int) -> tuple[int, str]:
        """`ledger.streamed_check.JoinedLeaves` (`projections.joined_reads`)."""
        return self.joined.leaves(after, upto)

    def _joined_nodes(self, level: int, lo: int, hi: int, shift: int | None
                      ) -> tuple[int, str, int]:
        """`ledger.streamed_check.JoinedNodes` (`projections.joined_reads`)."""
        return self.joined.nodes(level, lo, hi, shift)

    def verify_ledger(self, saved: SavedDigest | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      member_states: bool = False) -> Report:
        """`progress(done, total)` is told about every `BATCH` events (total: the last position).

        One pass in flat memory (`ledger.streamed_check`); if it finds anything wrong, the full
        check (`verify_whole`) runs to name and explain it. `member_states`: the report names
        each stream's member state (`Report.stream_states`, what a member state's report is
        cut from: `ledger.verification_scope`), else it names none (a case's opening row is
        then not parsed to find it)."""
        size = self.table.stored_size()  # before the table: it holds at least these leaves
        top, = _tuples(self.table.db, "SELECT COALESCE(MAX(position), 0) FROM event_hashes")[0]
        batches: Iterator[list[Stored | HashedRow] | Checked] = self.scan_batches(
            checked=True, tree=(top, size), member_states=member_states)
        if progress is not None:
            batches = _counted_batches(
                batches, self._app().recorder.max_notification_id() or 0, progress)
        nodes, = _tuples(self.table.db, "SELECT COUNT(*) FROM merkle_nodes")[0]
        # the objects that exist already are left out of the collections its allocations
        # trigger (a full collection walks the whole heap: ~7% of the pass's time)
        gc.freeze()
        try:
            report = verify_streamed(batches, self._leaves, top, saved, size, self._nodes, nodes,
                                     self._joined_leaves, self._joined_nodes)
        finally:
            gc.unfreeze()
        if report is None:
            return self.verify_whole(saved, progress, member_states)
        return report if member_states else replace(report, stream_states={})

    def verify_whole(self, saved: SavedDigest | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     member_states: bool = False) -> Report:
        """Every row, leaf and hash-table row held at once: names and explains every problem
        (`member_states`: as `verify_ledger`'s)."""
        size = self.table.stored_size()  # before the table: it holds at least these leaves
        witness = self._witness()  # before the scan: the store holds at least these
        leaves = [bytes.fromhex(w.leaf_hash) for w in witness]
        tree = Tree(leaves, subtree_levels(leaves))  # hashed once, for the store and subtrees
        rows: Iterator[Stored | HashedRow] = self.scan()
        if progress is not None:
            rows = _counted(rows, self._app().recorder.max_notification_id() or 0, progress)
        report = verify(rows, witness, saved, self._record_at, tree)
        cache = against_subtrees(witness, size, self._subtrees(), tree.levels)
        if not member_states:
            report = replace(report, stream_states={})
        if not cache:
            return report
        problems = sorted((*report.problems, *cache),
                          key=lambda p: (p.position is None, p.position or 0))
        return replace(report, problems=tuple(problems))

    def _case(self, case_id: UUID) -> tuple[list[Stored], list[Witness]]:
        """A case's stored rows in version order, placed where the hash table saw them."""
        witness = self.table.witness(str(case_id))
        at = {w.version: w.position for w in witness}
        app = self._app()
        rows = [_decode(app, at.get(e.originator_version), e)
                for e in app.recorder.select_events(case_id)]
        return rows, witness

    def verify_case(self, case_id: UUID) -> Report | None:
        """One case's stream against its rows of the hash table; None for an unknown case."""
        rows, witness = self._case(case_id)
        return verify(rows, witness) if rows or witness else None

    def export_case(self, case_id: UUID) -> dict[str, Any] | None:
        """The case's complete record with inclusion proofs against the current digest, for
        `python3 ledger/proofs.py verify` (`projections.integrity_export`)."""
        rows, _ = self._case(case_id)
        if not rows:
            return None
        tree = self.table.tree()
        assert tree is not None  # the whole tree always exists
        digest = Digest(tree.size, tree.root().hex(), tree.last_position(), datetime.now(UTC))
        return export_document(case_id, rows, tree.index_of, tree.inclusion, digest.saved())
