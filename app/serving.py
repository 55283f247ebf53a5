"""The rules of serving the web app: where it may listen, and the key that signs its session cookies."""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

from app import resources, tokens
from app.errors import RequestError

SECRET_FILE = "web-session.key"


def check_bind(host: str) -> None:
    """Refuse to listen beyond this computer while no access token exists: the records hold personal data."""
    if is_loopback(host) or tokens.required():
        return
    raise RequestError(
        f"refusing to serve on {host}: no access token exists, so anyone on the network could read the records. "
        'Create one first with: hoso token create --name "Bộ phận một cửa" --role viewer '
        "(or serve on 127.0.0.1)"
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def session_secret() -> str:
    """The key that signs session cookies, made once per data directory and kept private to its owner,
    so a restart does not sign everybody out."""
    path = resources.get().settings.home_dir / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_private(path, secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` unless it exists: linked into place whole, so two servers starting at once
    end up with the same key."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
