"""Video links of lessons, turned into privacy-friendly embeds where we know how.

- YouTube (youtube.com/watch?v=…, youtu.be/…, /embed/…, /shorts/…, /live/…) plays from
  youtube-nocookie.com, which sets no cookie until the video is played;
- Vimeo (vimeo.com/123…, player.vimeo.com/video/123…) plays with `dnt=1` (do not track);
- any other https link is shown as a plain link.

The lesson page always shows the plain link too (a LAN without internet cannot play an
embedded video, and the link says where it goes), and loads an embed only when the participant
opens it (a closed `<details>` holding a lazily loaded iframe), so the page stays light.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"\d{1,12}")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class Video:
    url: str
    provider: str  # "YouTube", "Vimeo" or "" (a plain link)
    embed_url: str  # "" when it cannot be embedded

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def _youtube_id(host: str, path: str, query: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if host == "youtu.be":
        candidate = parts[0] if parts else ""
    elif parts[:1] == ["watch"]:
        candidate = (parse_qs(query).get("v") or [""])[0]
    elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
        candidate = parts[1]
    else:
        return None
    return candidate if YOUTUBE_ID.fullmatch(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if host == "player.vimeo.com":
        candidate = parts[1] if len(parts) >= 2 and parts[0] == "video" else ""
    else:
        candidate = next((p for p in parts if VIMEO_ID.fullmatch(p)), "")
    return candidate if VIMEO_ID.fullmatch(candidate) else None


def parse_video(url: str) -> Video | None:
    """The video behind a lesson's link, or None when there is no (https) link."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if host in YOUTUBE_HOSTS or host == "youtu.be":
        video_id = _youtube_id(host, parts.path, parts.query)
        if video_id:
            return Video(url, "YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}")
    if host in VIMEO_HOSTS:
        video_id = _vimeo_id(host, parts.path)
        if video_id:
            return Video(url, "Vimeo", f"https://player.vimeo.com/video/{video_id}?dnt=1")
    return Video(url, "", "")
