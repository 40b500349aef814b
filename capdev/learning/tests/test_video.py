"""Video links become privacy-friendly embeds when the provider is known, plain links otherwise."""

from __future__ import annotations

import pytest

from capdev.learning.video import parse_video

NOCOOKIE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    ],
)
def test_youtube_links_play_from_youtube_nocookie(url):
    video = parse_video(url)
    assert video is not None and video.provider == "YouTube" and video.embed_url == NOCOOKIE


@pytest.mark.parametrize("url", ["https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"])
def test_vimeo_links_play_without_tracking(url):
    video = parse_video(url)
    assert video is not None and video.embed_url == "https://player.vimeo.com/video/76979871?dnt=1"


@pytest.mark.parametrize(
    "url",
    [
        "https://media.example.org/training/cycle.mp4",
        "https://www.youtube.com/watch?v=not-an-id",
        "https://www.youtube.com/channel/UC123",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_other_links_are_plain_links(url):
    video = parse_video(url)
    assert video is not None and video.embed_url == "" and video.provider == "" and video.url == url


@pytest.mark.parametrize(
    "url", ["", "http://www.youtube.com/watch?v=dQw4w9WgXcQ", "javascript:alert(1)", "ftp://x"]
)
def test_no_video_without_an_https_link(url):
    assert parse_video(url) is None
