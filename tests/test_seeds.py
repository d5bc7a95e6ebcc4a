"""The corpus in seeds/ is the five shared documents, byte for byte."""

import hashlib

EXPECTED = {
    "000_51e1f768636169b3.txt": "c3cd90278dfdd41d4afa68df508888cb9a0e42abbb327f49aaa79fc9c6085d29",
    "001_a9aef551e595a57d.txt": "8bcecc8f21a7f497831dfeb89453a8cbbbe6507257a32192d78195f6e57ddd16",
    "002_c619369da7bf09ac.txt": "06dfc8c26316b0007d4c2cf589037566ca1ea6fc43be85e600a85f8d7d751ab1",
    "003_7997202abf73efaa.txt": "c07e96d5eefc9c7d5354404e86af72e00ceb8ed1df43b292572829c1a6b59a58",
    "004_6f2ca931fc462e6f.txt": "b7ad5fa6f3d4c95bf94780c3bbe50f91dfb169b02b16e9e5aacbe5dc07d69c7e",
}


def test_seeds_are_byte_identical(seed_paths):
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in seed_paths}
    assert found == EXPECTED
