"""Download the revision of a Wikipedia map module that was current on a given date (MediaWiki API).

``fetch_wikipedia_module("Syrian Civil War detailed map", as_of=date(2018, 12, 11))`` asks the API for the
newest revision at or before the end of that day (UTC)::

    action=query & prop=revisions & titles=Module:… & rvlimit=1 & rvdir=older & rvstart=<as_of>T23:59:59Z
    & rvprop=ids|timestamp|content & rvslots=main & format=json & formatversion=2

``save_module`` writes it as ``<Module_name>_<YYYY-MM-DD>.lua`` (the revision's UTC date) with a three-line
Lua comment header naming the revision and the licence; the reader takes the snapshot date from that header
(or from the file name), so ``whoholds ingest`` needs no ``--date`` for fetched files. The last revision
of a day is what any ``as_of`` landing on that day returns, so one date means one revision.

Every failure (unknown module, no revision before the date, HTTP error, unreachable host, a reply that is
not the API's JSON) is one ``InputError`` line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from ..errors import InputError
from ..io.wikipedia import header_date  # noqa: F401  (re-exported: the reader's side of the header)

__all__ = [
    "DEFAULT_MODULE",
    "MARKS_MODULE",
    "FetchedModule",
    "fetch_wikipedia_module",
    "module_title",
    "save_module",
]

DEFAULT_MODULE = "Syrian Civil War detailed map"
#: The legend module the detailed maps load (``m.gov`` -> icon); whoholds carries a port of it.
MARKS_MODULE = "Middle East conflicts map marks"
DEFAULT_SITE = "en.wikipedia.org"
USER_AGENT = "whoholds/0.1 (territorial-control research tool; https://www.mediawiki.org/wiki/API:Etiquette)"
LICENCE = "Text (c) Wikipedia contributors, CC BY-SA 4.0 https://creativecommons.org/licenses/by-sa/4.0/"


@dataclass(frozen=True)
class FetchedModule:
    """One revision of a module: title as the wiki spells it, revision id, UTC timestamp, Lua text."""

    title: str
    revid: int
    timestamp: dt.datetime
    text: str
    site: str = DEFAULT_SITE

    @property
    def date(self) -> dt.date:
        return self.timestamp.date()

    @property
    def url(self) -> str:
        return f"https://{self.site}/w/index.php?title={quote(self.title.replace(' ', '_'))}&oldid={self.revid}"


def module_title(module: str) -> str:
    """``Syrian_Civil_War_detailed_map`` / ``Module:Syrian Civil War detailed map`` -> the latter."""
    name = re.sub(r"[\s_]+", " ", module).strip()
    name = re.sub(r"^(?:module|模块|模組)\s*:\s*", "", name, flags=re.IGNORECASE)
    if not name:
        raise InputError("--module", "empty module name")
    if any(c in name for c in "#<>[]|{}"):
        raise InputError(module, "not a valid page title (contains one of # < > [ ] | { })")
    return "Module:" + name[:1].upper() + name[1:]


def _api_url(site: str) -> str:
    site = site.strip().rstrip("/")
    site = re.sub(r"^https?://", "", site)
    if not re.fullmatch(r"[A-Za-z0-9.\-]+(?::\d+)?", site):
        raise InputError("--site", f"{site!r} is not a host name such as en.wikipedia.org")
    return f"https://{site}/w/api.php"


def _request(client: httpx.Client, url: str, params: dict[str, str], site: str) -> dict:
    try:
        resp = client.get(url, params=params, headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    except httpx.TimeoutException:
        raise InputError(site, "no answer from the MediaWiki API (timed out); try again later") from None
    except httpx.TransportError as exc:
        raise InputError(
            site, f"cannot reach the MediaWiki API ({type(exc).__name__}: {exc or 'no detail'}); is the machine online?"
        ) from None
    if resp.status_code != 200:
        raise InputError(
            site, f"MediaWiki API answered HTTP {resp.status_code} {resp.reason_phrase} for {resp.request.url}"
        )
    try:
        data = resp.json()
    except ValueError:
        raise InputError(site, "MediaWiki API reply is not JSON (a proxy or captive portal in the way?)") from None
    if not isinstance(data, dict):
        raise InputError(site, "MediaWiki API reply is not a JSON object")
    if "error" in data:
        err = data["error"] if isinstance(data["error"], dict) else {"info": str(data["error"])}
        raise InputError(site, f"MediaWiki API error {err.get('code', '')}: {err.get('info', '')}".strip())
    return data


def fetch_wikipedia_module(
    module: str = DEFAULT_MODULE,
    as_of: dt.date | None = None,
    site: str = DEFAULT_SITE,
    client: httpx.Client | None = None,
    *,
    timeout: float = 60.0,
) -> FetchedModule:
    """The revision of ``Module:<module>`` current at the end of ``as_of`` (UTC); the latest if None."""
    title = module_title(module)
    url = _api_url(site)
    host = re.sub(r"^https?://", "", site.strip()).rstrip("/")
    if as_of is not None:
        today = dt.datetime.now(dt.UTC).date()
        if as_of > today:
            raise InputError("--as-of", f"{as_of} is in the future (today is {today} UTC)")
    params = {
        "action": "query",
        "prop": "revisions",
        "titles": title,
        "rvlimit": "1",
        "rvdir": "older",
        "rvprop": "ids|timestamp|content",
        "rvslots": "main",
        "format": "json",
        "formatversion": "2",
    }
    if as_of is not None:
        params["rvstart"] = f"{as_of.isoformat()}T23:59:59Z"
    own = client is None
    http = client if client is not None else httpx.Client(timeout=timeout)
    try:
        data = _request(http, url, params, host)
    finally:
        if own:
            http.close()
    pages = (data.get("query") or {}).get("pages") or []
    if not isinstance(pages, list) or not pages:
        raise InputError(host, f"MediaWiki API reply for {title!r} has no page (not formatversion=2 JSON?)")
    page = pages[0]
    shown = page.get("title", title)
    if page.get("invalid"):
        raise InputError(title, f"not a valid title on {host}: {page.get('invalidreason', 'invalid')}")
    if page.get("missing"):
        raise InputError(
            shown, f"no such module on {host} (check the name; titles are case-sensitive after the first letter)"
        )
    revs = page.get("revisions") or []
    if not revs:
        when = f"on or before {as_of}" if as_of is not None else "at all"
        raise InputError(shown, f"no revision {when} on {host} (the module did not exist yet)")
    rev = revs[0]
    slot = (rev.get("slots") or {}).get("main") or {}
    if slot.get("texthidden") or rev.get("texthidden"):
        raise InputError(shown, f"revision {rev.get('revid')} has its text hidden (revision-deleted)")
    text = slot.get("content", rev.get("content"))
    if not isinstance(text, str):
        raise InputError(shown, f"revision {rev.get('revid')} came without its text")
    try:
        revid = int(rev["revid"])
        stamp = dt.datetime.fromisoformat(str(rev["timestamp"]).replace("Z", "+00:00")).astimezone(dt.UTC)
    except (KeyError, ValueError, TypeError):
        raise InputError(shown, "revision without a valid id or timestamp in the API reply") from None
    return FetchedModule(title=shown, revid=revid, timestamp=stamp, text=text, site=host)


def module_file_name(fetched: FetchedModule) -> str:
    stem = re.sub(r"^Module:", "", fetched.title)
    stem = re.sub(r"[^\w\-]+", "_", stem, flags=re.UNICODE).strip("_") or "module"
    return f"{stem}_{fetched.date.isoformat()}.lua"


def header(fetched: FetchedModule) -> str:
    ts = fetched.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"-- whoholds: {fetched.title}, {fetched.site}, revision {fetched.revid} of {ts}\n"
        f"-- {fetched.url}\n"
        f"-- {LICENCE}; module text unchanged below this header.\n"
    )


def save_module(fetched: FetchedModule, folder: str | Path) -> Path:
    """Write the revision to ``folder/<Module_name>_<YYYY-MM-DD>.lua`` (atomically); returns the path."""
    from ..io.writers import write_text_atomic

    out_dir = Path(folder)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(out_dir, f"cannot create the folder: {exc.strerror}") from None
    path = out_dir / module_file_name(fetched)
    return Path(write_text_atomic(path, header(fetched) + fetched.text))
