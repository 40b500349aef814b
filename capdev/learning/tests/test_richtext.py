"""Lesson text is sanitised with nh3 when saved, and images are placed when it is shown."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from capdev.learning.richtext import clean_body, render_body, unplaced_images


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
        ('<img src="image:1" onerror="alert(1)">', '<img src="image:1">'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="data:text/html,<script>x</script>">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<p style="position:fixed;top:0">styled</p>', "<p>styled</p>"),
        ('<p class="btn">c</p>', "<p>c</p>"),
        ('<iframe src="https://evil.example/">fallback</iframe><p>after</p>', "<p>after</p>"),
        ("<style>body{display:none}</style><p>t</p>", "<p>t</p>"),
        ("<svg><script>alert(1)</script></svg><math><mi>x</mi></math>ok", "ok"),
        ("<object data='x.swf'></object><embed src='x'>ok", "ok"),
        ("<form action='/x'><button>Go</button></form>ok", "ok"),
        ("<!-- secret --><p>t</p>", "<p>t</p>"),
        ("<h1>Title</h1><h2>Section</h2>", "Title<h2>Section</h2>"),
    ],
)
def test_dangerous_markup_is_removed(dirty, clean):
    assert clean_body(dirty, [1]) == clean


def test_links_keep_https_mailto_and_relative_addresses_with_noopener():
    html = clean_body(
        '<a href="https://example.org" target="_blank" title="Site">s</a> <a href="mailto:a@b.org">m</a> '
        '<a href="/learning/my/">r</a>'
    )
    assert '<a href="https://example.org" title="Site" rel="noopener noreferrer">s</a>' in html
    assert 'href="mailto:a@b.org"' in html and 'href="/learning/my/"' in html
    assert "target" not in html


def test_only_the_lessons_own_images_survive():
    html = clean_body(
        '<img src="image:1" alt="ignored"><img src="image:7"><img src="https://evil.example/x.png">'
        '<img src="data:image/png;base64,AAAA"><img src="/learning/images/3/"><a href="image:1">link</a>',
        [1, 2],
    )
    assert html == '<img src="image:1"><a rel="noopener noreferrer">link</a>'


def test_tables_lists_and_emphasis_are_kept():
    source = (
        '<table><caption>Plan</caption><thead><tr><th scope="col" colspan="2">Day</th></tr></thead>'
        '<tbody><tr><td rowspan="2">1</td><td>Intro</td></tr></tbody></table>'
        '<ul><li><strong>a</strong></li></ul><ol start="3"><li><em>b</em></li></ol><blockquote>q</blockquote>'
    )
    assert clean_body(source) == source
    assert 'scope="x"' not in clean_body('<table><tr><th scope="x">a</th></tr></table>')


def _image(pk: int, number: int, alt: str = "A diagram"):
    return SimpleNamespace(pk=pk, number=number, alt_text=alt, width=640, height=480)


def test_rendering_places_images_with_size_alt_and_lazy_loading():
    body = clean_body('<p>See:</p><img src="image:2"><img src="image:1">', [1, 2])
    html = render_body(body, [_image(11, 1, 'Quote " and <tag>'), _image(12, 2)])
    assert (
        '<img src="/learning/images/12/" alt="A diagram" width="640" height="480" loading="lazy" '
        'decoding="async" class="img-fluid">'
    ) in html
    assert 'alt="Quote &quot; and &lt;tag&gt;"' in html


def test_an_image_removed_after_saving_disappears_from_the_text():
    body = clean_body('<img src="image:1"><p>t</p>', [1])
    assert render_body(body, []) == "<p>t</p>"


def test_images_not_placed_in_the_text_are_listed_after_it():
    images = [_image(1, 1), _image(2, 2), _image(3, 3)]
    assert [i.number for i in unplaced_images('<img src="image:2">', images)] == [1, 3]


def test_tables_scroll_on_a_phone():
    html = render_body(clean_body("<table><tr><td>x</td></tr></table>"), [])
    assert html.startswith('<div class="table-responsive" tabindex="0" role="region" aria-label="Table">')
    assert html.endswith("</table></div>")
