"""The tree hashes and proofs against the RFC 6962 / RFC 9162 test vectors of Certificate Transparency
(the ones the Go implementations, transparency-dev/merkle, test against)."""

import hashlib

import pytest

from zhifa.ledger import merkle

LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    bytes.fromhex(h)
    for h in [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]
# (leaf index, tree size, proof)
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]
# (first size, second size, proof)
CONSISTENCY = [
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (1, 1, []),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


@pytest.fixture(scope="module")
def tree():
    t = merkle.MemoryTree()
    for leaf in LEAVES:
        t.append(merkle.leaf_hash(leaf))
    return t


def test_empty_tree_and_leaf_hashes():
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.root_from_leaf_hashes([]) == merkle.EMPTY_ROOT
    assert merkle.leaf_hash(b"") == ROOTS[0]
    assert merkle.leaf_hash(b"L123456") == hashlib.sha256(b"\x00L123456").digest()
    assert merkle.node_hash(b"N123", b"N456") == hashlib.sha256(b"\x01N123N456").digest()


def test_roots_of_every_size(tree):
    for size in range(1, 9):
        hashes = [merkle.leaf_hash(leaf) for leaf in LEAVES[:size]]
        assert merkle.root_from_leaf_hashes(hashes) == ROOTS[size - 1]
        assert tree.root(size) == ROOTS[size - 1]
    assert tree.root() == ROOTS[7]
    assert merkle.frontier_root(tree.frontier) == ROOTS[7]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_vectors(tree, index, size, proof):
    proof = [bytes.fromhex(h) for h in proof]
    assert merkle.inclusion_proof(index, size, tree.fetch) == proof
    leaf = merkle.leaf_hash(LEAVES[index])
    assert merkle.verify_inclusion(index, size, leaf, proof, ROOTS[size - 1])
    root = ROOTS[size - 1]
    wrong = [
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size // 2, leaf, proof, root),
        (index, size, merkle.leaf_hash(b"WrongLeaf"), proof, root),
        (index, size, leaf, proof, merkle.EMPTY_ROOT),
        (index, size, leaf, proof, SOME_HASH),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [root, *proof], root),
        (index, size, leaf, proof[:-1], root) if proof else (index, size, leaf, [SOME_HASH], root),
    ]
    if index > 0:
        wrong.append((index - 1, size, leaf, proof, root))
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        wrong.append((index, size, leaf, flipped, root))
    for args in wrong:
        assert not merkle.verify_inclusion(*args), args[:2]


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_vectors(tree, first, second, proof):
    proof = [bytes.fromhex(h) for h in proof]
    assert merkle.consistency_proof(first, second, tree.fetch) == proof
    r1, r2 = ROOTS[first - 1], ROOTS[second - 1]
    assert merkle.verify_consistency(first, second, r1, r2, proof)
    if not proof:
        return
    wrong = [
        (first - 1, second, r1, r2, proof),
        (first + 1, second, r1, r2, proof),
        (first ^ 2, second, r1, r2, proof),
        (first, second * 2, r1, r2, proof),
        (first, second // 2, r1, r2, proof),
        (first, second, SOME_HASH, r2, proof),
        (first, second, r1, SOME_HASH, proof),
        (first, second, r2, r1, proof),
        (first, second, r1, r2, []),
        (first, second, r1, r2, [*proof, r1]),
        (first, second, r1, r2, [r2, *proof]),
        (first, second, r1, r2, [proof[0], *proof]),
        (first, second, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        wrong.append((first, second, r1, r2, flipped))
    for args in wrong:
        assert not merkle.verify_consistency(*args), args[:2]


def test_trivial_consistency():
    assert merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])
    assert merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, ROOTS[4], [])
    assert not merkle.verify_consistency(0, 1, merkle.EMPTY_ROOT, ROOTS[0], [merkle.EMPTY_ROOT])
    assert not merkle.verify_consistency(2, 1, ROOTS[1], ROOTS[0], [])
    assert not merkle.verify_consistency(1, 1, ROOTS[0], ROOTS[1], [])


def test_nodes_are_stored_in_the_entry_that_completes_them(tree):
    # Leaf 7 completes the subtrees [6,8), [4,8) and [0,8): four hashes, the last being the root.
    blob = tree.completed[7]
    assert len(blob) == 4 * 32
    assert blob[-32:] == ROOTS[7]
    assert merkle.node_home(3, 0) == (7, 96)
    assert merkle.range_nodes(0, 7) == [(2, 0), (1, 2), (0, 6)]
    with pytest.raises(ValueError):
        merkle.range_nodes(1, 3)
