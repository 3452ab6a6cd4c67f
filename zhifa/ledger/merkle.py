"""Merkle tree math of RFC 9162 (Certificate Transparency 2.0), section 2.1. Pure Python, no Django.

The offline verifier (``verify_bundle``) and the server share this module, so there is one definition
of every hash. Terms:

- leaf hash ``SHA-256(0x00 || data)``, interior node ``SHA-256(0x01 || left || right)``;
  the hash of the empty tree is ``SHA-256()``;
- a *perfect subtree* ``(level, index)`` covers leaves ``[index * 2**level, (index + 1) * 2**level)``;
- the server stores every perfect subtree's hash once, in the entry whose append completed it:
  node ``(level, index)`` is completed by leaf ``((index + 1) << level) - 1`` (see :func:`node_home`);
- a *frontier* (compact range) is the list of perfect subtrees that make up ``[0, size)``, largest first.

Proofs are built from *ranges* ``[begin, end)`` whose hash is the RFC's MTH(D[begin:end]); every range
that the RFC's recursions produce is a run of aligned perfect subtrees (:func:`range_nodes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

Node = tuple[int, int]  # (level, index)


def leaf_hash(data: bytes) -> bytes:
    h = hashlib.sha256(b"\x00")
    h.update(data)
    return h.digest()


_sha256 = hashlib.sha256


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"".join((b"\x01", left, right))).digest()  # one copy, not two concatenations


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1): where RFC 9162 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


# Reference definitions, straight from the RFC (recursive, for tests and small trees).


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) given the leaf hashes."""
    n = len(hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return hashes[0]
    k = _split(n)
    return node_hash(root_from_leaf_hashes(hashes[:k]), root_from_leaf_hashes(hashes[k:]))


# Appending with a frontier.


def append_leaf(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """Append leaf number ``size`` to a tree whose frontier is ``frontier`` (modified in place).

    Returns the hashes this append completes, by level: ``[leaf, level 1 node, ...]`` — one more than
    the number of trailing one bits of ``size``.
    """
    completed = [leaf]
    h = leaf
    n = size
    while n & 1:
        h = node_hash(frontier.pop(), h)
        completed.append(h)
        n >>= 1
    frontier.append(h)
    return completed


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The root of the tree whose frontier (largest subtree first) is given."""
    if not frontier:
        return EMPTY_ROOT
    h = frontier[-1]
    for left in reversed(frontier[:-1]):
        h = node_hash(left, h)
    return h


def split_hashes(blob: bytes) -> list[bytes]:
    return [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]


# Where nodes live, and which ones a range needs.


def node_home(level: int, index: int) -> tuple[int, int]:
    """(entry number, byte offset) of the stored hash of perfect subtree ``(level, index)``."""
    return ((index + 1) << level) - 1, level * HASH_SIZE


def range_nodes(begin: int, end: int) -> list[Node]:
    """The perfect subtrees that make up MTH(D[begin:end]), left to right (largest first).

    ``begin`` must be aligned the way the RFC's recursions leave it (a multiple of the split size);
    every range used by the proofs below is.
    """
    nodes: list[Node] = []
    n = end - begin
    if n <= 0:
        raise ValueError("empty range")
    while n & (n - 1):  # not a power of two
        k = _split(n)
        level = k.bit_length() - 1
        if begin % k:
            raise ValueError(f"range [{begin}, {end}) is not aligned")
        nodes.append((level, begin >> level))
        begin += k
        n -= k
    level = n.bit_length() - 1
    if begin % n:
        raise ValueError(f"range [{begin}, {end}) is not aligned")
    nodes.append((level, begin >> level))
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine a range's perfect subtree hashes (largest first) into MTH of the range."""
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = node_hash(left, h)
    return h


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form the inclusion proof of leaf ``index`` in a tree of ``size`` leaves,
    in proof order (RFC 9162 2.1.3.1, PATH)."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    out: list[tuple[int, int]] = []
    lo, hi = 0, size
    # Walk down from the root; the proof lists siblings from the bottom up, so reverse at the end.
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()
    return out


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The ranges of the consistency proof between tree sizes ``first`` and ``second`` (RFC 9162 2.1.4.1)."""
    if not 0 <= first <= second:
        raise ValueError("sizes out of order")
    if first == 0 or first == second:
        return []
    out: list[tuple[int, int]] = []
    lo, hi, m, complete = 0, second, first, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                out.append((lo, hi))
            break
        k = _split(n)
        if m <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    out.reverse()
    return out


NodeFetcher = Callable[[set[Node]], Mapping[Node, bytes]]


def hash_ranges(
    ranges: Iterable[tuple[int, int]], fetch: NodeFetcher, also: Iterable[Node] = ()
) -> tuple[list[bytes], Mapping[Node, bytes]]:
    """MTH of each range, fetching all the perfect subtree hashes they need (and the nodes ``also``
    asks for) in one call. Returns the hashes and everything fetched."""
    plans = [range_nodes(b, e) for b, e in ranges]
    wanted = {node for plan in plans for node in plan} | set(also)
    got = fetch(wanted) if wanted else {}
    missing = wanted - set(got)
    if missing:
        raise LookupError(f"missing tree nodes: {sorted(missing)[:5]}")
    return [fold([got[node] for node in plan]) for plan in plans], got


def inclusion_proof(index: int, size: int, fetch: NodeFetcher) -> list[bytes]:
    return hash_ranges(inclusion_ranges(index, size), fetch)[0]


def leaf_and_inclusion_proof(index: int, size: int, fetch: NodeFetcher) -> tuple[bytes, list[bytes]]:
    """The leaf hash of entry ``index`` and its inclusion proof, in one fetch."""
    proof, got = hash_ranges(inclusion_ranges(index, size), fetch, also=[(0, index)])
    return got[(0, index)], proof


def consistency_proof(first: int, second: int, fetch: NodeFetcher) -> list[bytes]:
    return hash_ranges(consistency_ranges(first, second), fetch)[0]


def root_at(size: int, fetch: NodeFetcher) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return hash_ranges([(0, size)], fetch)[0][0]


# Verifiers (RFC 9162 2.1.3.2 and 2.1.4.2). They return False rather than raise on a bad proof.


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    if not 0 <= index < size or len(leaf) != HASH_SIZE:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0 or len(p) != HASH_SIZE:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return None
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    got = root_from_inclusion_proof(index, size, leaf, proof)
    return got is not None and got == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof  # every tree extends the empty one
    if not proof or any(len(p) != HASH_SIZE for p in proof):
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


class MemoryTree:
    """A whole tree in memory, storing nodes the way the database does (for tests and the benchmark)."""

    def __init__(self) -> None:
        self.frontier: list[bytes] = []
        self.completed: list[bytes] = []  # per entry: the concatenated hashes its append completed
        self.size = 0

    def append(self, leaf: bytes) -> bytes:
        done = append_leaf(self.frontier, self.size, leaf)
        blob = b"".join(done)
        self.completed.append(blob)
        self.size += 1
        return blob

    def fetch(self, wanted: set[Node]) -> dict[Node, bytes]:
        out = {}
        for level, index in wanted:
            entry, offset = node_home(level, index)
            if entry < self.size:
                out[(level, index)] = self.completed[entry][offset : offset + HASH_SIZE]
        return out

    def root(self, size: int | None = None) -> bytes:
        if size is None or size == self.size:
            return frontier_root(self.frontier)
        return root_at(size, self.fetch)
