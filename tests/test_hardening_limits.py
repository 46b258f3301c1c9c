"""Decompression limits: bombs are refused in one line, real data (up to 340-fold xz) is not."""

from __future__ import annotations

import gzip
import io
import lzma
import zipfile
from pathlib import Path

import pytest
from conftest import data_path

from whoholds.errors import InputError
from whoholds.io import iter_sources, load_bytes
from whoholds.io.limits import RATIO_FLOOR, Limits, decompress_capped, read_capped


def test_real_daily_series_expands_340_fold_and_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_path("ukraine", "deepstate_occupied_daily_2024-07-08_2026-08-22.geojson.xz")
    (src,) = iter_sources([path])
    data = load_bytes(src)
    assert len(data) > 300 * path.stat().st_size  # the ratio the default limit must allow
    assert data.lstrip()[:1] == b"{"


@pytest.mark.slow
def test_real_feed_archive_passes_the_default_limits() -> None:
    path = data_path("ukraine", "deepstate_raw_feed_all_2022-04-03_2025-08-03.tar.xz")
    errors: list[InputError] = []
    n = sum(1 for _ in iter_sources([path], errors=errors))
    assert errors == [] and n == 1359


def test_member_cap_is_exact() -> None:
    limits = Limits(max_bytes=3 << 20, max_ratio=10**9)
    ok = gzip.compress(b"a" * (3 << 20))
    assert len(decompress_capped(ok, "gzip", "ok.gz", limits)) == 3 << 20
    with pytest.raises(InputError, match="more than 3 MB"):
        decompress_capped(gzip.compress(b"a" * ((3 << 20) + 1)), "gzip", "big.gz", limits)


def test_ratio_is_checked_only_past_the_floor() -> None:
    limits = Limits(max_bytes=1 << 40, max_ratio=50)
    small = gzip.compress(b"\0" * (RATIO_FLOOR // 2))  # expands ~1000-fold, but is small: allowed
    assert len(decompress_capped(small, "gzip", "small.gz", limits)) == RATIO_FLOOR // 2
    with pytest.raises(InputError, match="expands more than 50-fold"):
        decompress_capped(gzip.compress(b"\0" * (2 * RATIO_FLOOR)), "gzip", "bomb.gz", limits)


def test_concatenated_gzip_members_are_all_read() -> None:
    data = gzip.compress(b"abc") + gzip.compress(b"def") + gzip.compress(b"")
    assert decompress_capped(data, "gzip", "multi.gz") == b"abcdef"


@pytest.mark.parametrize("kind, blob", [("gzip", gzip.compress(b"x" * 10000)[:-12]),
                                        ("xz", lzma.compress(b"x" * 10000)[:-8])])
def test_truncated_streams_raise(kind: str, blob: bytes) -> None:
    from whoholds.io.sources import decompress

    with pytest.raises(InputError, match="corrupt or truncated"):
        decompress(blob, kind, f"t.{kind}")


def test_zip_member_lying_about_its_size_is_still_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A forged central directory (small declared size) cannot get past the streaming cap."""
    monkeypatch.setenv("WHOHOLDS_MAX_MEMBER_MB", "1")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a_2024-03-01.geojson", b" " * (3 << 20))
    raw = bytearray(buf.getvalue())
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24: central + 28] = (100).to_bytes(4, "little")  # declared uncompressed size: 100 bytes
    (tmp_path / "forged.zip").write_bytes(bytes(raw))
    errors: list[InputError] = []
    assert list(iter_sources([tmp_path / "forged.zip"], errors=errors)) == []
    assert len(errors) == 1 and ("more than 1 MB" in str(errors[0]) or "cannot read" in str(errors[0]))


@pytest.mark.parametrize("value", ["-1", "0", "abc", "inf", "nan"])
def test_bad_limit_settings_are_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("WHOHOLDS_MAX_RATIO", value)
    with pytest.raises(InputError, match="WHOHOLDS_MAX_RATIO"):
        Limits.from_env()


def test_read_capped_stops_early() -> None:
    calls = 0

    def endless(n: int) -> bytes:
        nonlocal calls
        calls += 1
        return b"z" * n

    with pytest.raises(InputError):
        read_capped(endless, "endless", None, Limits(max_bytes=5 << 20, max_ratio=10))
    assert calls <= 6
