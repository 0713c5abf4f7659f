"""Authenticated cache entries on disk: where they live, their key, safe reads and writes.

A cache directory is not trusted: it may come with a checkout (a student's repository can
ship one), be shared, or be read-only. So every entry carries an HMAC over its cache key and
its content, made with a secret that lives in the user's own cache directory (created once,
readable by the user only, never inside a checkout). An entry whose MAC does not verify is
treated as missing and recomputed. Writes are best-effort (a read-only or broken cache never
costs a run its results), temporary files are created exclusively (a planted symlink is never
followed), and reads refuse symlinks, special files and oversized files.

Only the standard library is imported here: the remembered-run path must stay fast.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

KEY_FILE = "hmac-key"
MAX_ENTRY_BYTES = 64 * 1024 * 1024   # no honest entry is this large; a planted one may be
_KEY_BYTES = 32


def platform_directory() -> Path:
    """The user's cache directory for derive (XDG on Linux, Library/Caches on macOS).

    >>> platform_directory().name
    'derive'
    """
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "derive"
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "derive" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "derive"


def default_directory() -> Path:
    """Where results are cached: `$DERIVE_CACHE`, else the platform cache directory."""
    configured = os.environ.get("DERIVE_CACHE")
    return Path(configured) if configured else platform_directory()


def secret() -> bytes | None:
    """The HMAC key of this user (created on first use), or None when it cannot be had.

    Without a trustworthy key nothing is read from or written to a cache.
    """
    return _secret(str(platform_directory() / KEY_FILE))


@functools.cache
def _secret(path: str) -> bytes | None:
    key = _read_key(path)
    if key is None and not os.path.lexists(path):
        key = _create_key(path) or _read_key(path)   # lost a race: read the winner's key
    return key


def _read_key(path: str) -> bytes | None:
    """The key, only from a regular file owned by this user and readable by no one else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        private = stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077
        owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        data = file.read(4 * _KEY_BYTES) if private and owned else b""
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        return None
    return key if len(key) == _KEY_BYTES else None


def _create_key(path: str) -> bytes | None:
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, flags, 0o600)
    except OSError:
        return None
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key.hex())
    return key


def _mac(key: bytes, name: str, payload: str) -> str:
    """The MAC binds the entry's name too: a genuine entry copied under another name fails."""
    return hmac.new(key, f"{name}\0{payload}".encode(), hashlib.sha256).hexdigest()


def read(path: Path) -> Any | None:
    """The JSON content of an authenticated entry, or None (missing, forged, broken: recompute)."""
    key = secret()
    if key is None:
        return None
    try:
        entry = json.loads(_read_regular_file(path))
        payload, mac = entry["payload"], entry["mac"]
        if not (isinstance(payload, str) and isinstance(mac, str)):
            return None
        if not hmac.compare_digest(mac, _mac(key, path.name, payload)):
            return None
        return json.loads(payload)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_regular_file(path: Path) -> str:
    """A regular file's text; a symlink, FIFO, device or oversized file raises OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise OSError(f"{path}: not a regular cache entry")
        return file.read(MAX_ENTRY_BYTES + 1).decode("utf-8")


def write(path: Path, data: Any) -> bool:
    """Store `data` as an authenticated entry, atomically; False when it could not be stored.

    Best-effort: a read-only, full or broken cache directory loses the entry, never the run.
    """
    key = secret()
    if key is None:
        return False
    payload = json.dumps(data)
    entry = json.dumps({"mac": _mac(key, path.name, payload), "payload": payload})
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp opens with O_EXCL: a symlink planted under any name is never followed, and
        # the final rename replaces a link at `path` instead of writing through it.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                 suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(entry)
        os.replace(temporary, path)
        return True
    except OSError:
        _remove_quietly(temporary)
        return False


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass   # nothing more to do: the entry is lost, the run's results are not
