"""A range of stored rows hashed and its chains checked in one pass: `verify`'s bulk work.

`StoredCanonical.hashed_rows` then `streamed_check.checked_range` build a tuple per row and walk
the rows twice; on a sound ledger that was most of `verify`'s time. `checked_rows` gives the
very `Checked` the two give, in one pass over the rows as read (no tuple per row), for a range
of consecutive positions; anything else (a gap, a chain that breaks within the range, a row
the twin leaves to decoding) is None, and the caller takes the two steps, which say what the
range holds. Each row goes the way `hashed_rows` takes it: the common format-3 row inline (the
same conditions), any other through `StoredCanonical.hashed`. No I/O.

The usual row (the next of a stream taken inline in this range, previous_hash the envelope's
last field naming its predecessor's hash) is read with one comparison: its bytes at the key
hold that hash as the predecessor's row left it (`_LINK`), which is what the reading of the
value below finds and compares for it; any other row is read as before
(`tests/integration/test_range_check_rows.py` compares the two on changed rows).
"""

from __future__ import annotations

import hashlib
from binascii import hexlify
from collections.abc import Mapping
from typing import Any

from ledger.stored_canonical import _LEAF, _SEARCHED, _THREE, StoredCanonical, _once_each
from ledger.streamed_check import Checked

#: (position, stream id as stored, version, topic, state), as read.
Raw = tuple[int, Any, int, str, bytes]

#: A chain hash (hex, as bytes) as the next row of its stream names it where previous_hash
#: ends the envelope: `"previous_hash":`, the hash quoted, the envelope's closing brace (what
#: the row-by-row reading below takes for that hash; a row written otherwise is read so).
_LINK = b'"previous_hash":"%s"}'.__mod__
#: `"hash_format":` followed by 3 and the end of the value (`_THREE`).
_FORMAT_3 = tuple(b'"hash_format":' + end for end in _THREE)


def checked_rows(twin: StoredCanonical, rows: list[Raw], named: set[str],
                 streams: Mapping[Any, tuple[str, bytes] | None],
                 unnamed: set[str] | None = None) -> tuple[Checked, list[bytes]] | None:
    """`checked_range(twin.hashed_rows(plain, named))`, where `plain` is `rows` with each
    stream id as `streams[id][0]` (`str(UUID)`; `streams[id][1]` its UTF-8 bytes; None: not a
    plain id), and the leaves as a list; None where that is not a `Checked` of consecutive
    positions, `named` (and `unnamed`) then as they were (the caller takes the two steps).

    `unnamed` (a worker's, which sees only some ranges): the streams known to have named no
    member state up to here. A row is parsed for one (`StoredCanonical.hashed`) where the
    stream is not in `named` and the row is its version 1 (nothing before it could name one)
    or the stream is in `unnamed`; any other row of a stream not in `named` goes the inline
    way, its stream listed in `Checked.uncertain`: exact only if an earlier range named the
    stream, which the caller checks (and else checks the range again, knowing)."""
    count = len(rows)
    if not count or not twin.enabled:
        return None
    first = rows[0][0]
    if [row[0] for row in rows] != list(range(first, first + count)):
        return None
    states = [row[4] for row in rows]
    formats = [state.find(b'"hash_format":') for state in states]
    keys = [state.rfind(b'"previous_hash":') for state in states]
    if min(formats) < 0 or min(keys) < 0 or not all(
            _once_each(states[at:at + _SEARCHED]) for at in range(0, count, _SEARCHED)):
        return None  # (`hashed_rows` would take each row through `hashed`: so does the caller)
    # (a topic has a header only once its kind was found: `StoredCanonical.hashed`)
    headers, sha256, leaf0 = twin.headers, hashlib.sha256, _LEAF.copy
    three, nulls, quoted, hexes = _THREE, (b"null,", b"null}"), (b'",', b'"}'), \
        b"0123456789abcdef"
    leaves: list[bytes] = []
    add_leaf = leaves.append
    link_of, hexed, keyed_three = _LINK, hexlify, _FORMAT_3
    # per stream id as read: (last version, its chain hash as the next row names it (`_LINK`),
    # whether that row names a predecessor, whether the next row goes inline, the stream id as
    # `str(UUID)`, its UTF-8 bytes)
    tails: dict[Any, tuple[Any, bytes, bool, bool, str, bytes]] = {}
    firsts: dict[Any, tuple[Any, Any]] = {}
    found: dict[str, str] = {}  # member states
    added: list[str] = []  # streams `hashed` named here
    still: list[str] = []  # streams added to `unnamed` here
    uncertain: dict[str, None] = {}
    get = tails.get
    for (_, raw, version, topic, state), at, key in zip(rows, formats, keys,
                                                        strict=True):
        tail = get(raw)
        # the usual row: the next of a stream taken inline here, naming its predecessor's hash
        # (the checks below, as they come out for it)
        if tail is not None and tail[3] and version == tail[0] + 1 and \
                state.startswith(tail[1], key) and state.startswith(keyed_three, at) and \
                (header := headers.get(topic)) is not None:
            data = b"%s%s\",%d]\n%s" % (header, tail[5], version, state)
            leaf = leaf0()
            leaf.update(data)
            add_leaf(leaf.digest())
            tails[raw] = (version, link_of(hexed(sha256(data).digest())), True, True, tail[4],
                          tail[5])
            continue
        if tail is None:
            plain = streams[raw]
            if plain is None:
                break
            stream, encoded = plain
        else:
            stream, encoded = tail[4], tail[5]
        header = headers.get(topic)
        previous: str | None | bool = False
        if header is not None and (stream in named or (
                unnamed is not None and version != 1 and stream not in unnamed and
                uncertain.setdefault(stream) is None)) and state[at + 14:at + 16] in three:
            value = state[key + 16:key + 83]
            if value[:5] in nulls:
                previous = None
            elif value[:1] == b'"' and value[65:] in quoted and not value[1:65].strip(hexes):
                previous = value[1:65].decode()
        if previous is not False:
            data = b"%s%s\",%d]\n%s" % (header, encoded, version, state)
            leaf = leaf0()
            leaf.update(data)
            add_leaf(leaf.digest())
            link = link_of(hexed(sha256(data).digest()))
        else:
            was = stream in named
            hashed = twin.hashed(topic, stream, version, state, named)
            if not was and stream in named:
                added.append(stream)
            elif unnamed is not None and not was and stream not in unnamed:
                unnamed.add(stream)
                still.append(stream)
            if hashed is None:
                break
            chain, leaf_hash, previous, member_state = hashed
            add_leaf(leaf_hash)
            link = link_of(chain.encode())
            if member_state is not None and stream not in found:
                found[stream] = member_state
        if tail is None:
            firsts[raw] = (version, previous)
        elif version != tail[0] + 1:
            break
        elif previous is None:
            if tail[2]:
                break
        elif previous != tail[1][17:81].decode():
            break
        # the next row goes inline where this one's stream is named, or taken for named
        # (`uncertain`: then it is not in `unnamed`, and the next version is not 1)
        tails[raw] = (version, link, previous is not None, stream in named or (
            unnamed is not None and stream in uncertain and stream not in unnamed and
            type(version) is int and version >= 1), stream, encoded)
    else:
        checked = Checked(range(first, first + count), b"".join(leaves), [
            (tail[4], *firsts[raw], tail[0], tail[1][17:81].decode(), tail[2])
            for raw, tail in tails.items()], list(found.items()))
        checked.uncertain = list(uncertain)
        return checked, leaves
    named.difference_update(added)
    if unnamed is not None:
        unnamed.difference_update(still)
    return None
