"""Send xAPI statements to a Learning Record Store over HTTP with basic auth (xAPI 1.0.3 statements resource)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

BATCH = 200  # statements per POST: well under any LRS's request size limit
XAPI_VERSION = "1.0.3"


class LrsError(Exception):
    """The LRS could not be reached or refused the statements; the message says which and why."""


def statements_url(url: str) -> tuple[str, str | None]:
    """(the statements endpoint without credentials, 'user:password' taken from the URL or None)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsError(f"not an LRS URL: {url!r} (e.g. http://lrs.example/xAPI/)")
    auth = None
    if parts.username is not None:
        auth = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urlunsplit((parts.scheme, host, path, parts.query, "")), auth


def post_statements(url: str, statements: list[dict[str, Any]], auth: str | None = None,
                    timeout_s: float = 30.0) -> int:
    """POST the statements in batches; returns how many the LRS accepted. `auth` is 'user:password'
    (else the URL's user info). Statements the LRS already holds with the same id are not sent twice."""
    endpoint, url_auth = statements_url(url)
    auth = auth or url_auth
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")
    sent = 0
    for start in range(0, len(statements), BATCH):
        batch = statements[start:start + BATCH]
        body = json.dumps(batch, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 409:  # already stored (an earlier export): ids are stable, nothing is lost
                continue
            detail = exc.read().decode("utf-8", "replace")[:300]
            hint = " (check the user and password)" if exc.code in (401, 403) else ""
            raise LrsError(f"the LRS at {endpoint} answered {exc.code} {exc.reason}{hint}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise LrsError(f"cannot reach the LRS at {endpoint}: {reason}") from None
        sent += len(batch)
    return sent
