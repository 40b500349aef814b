"""The components of a match, written in Python for the matching page and the activity detail."""

from __future__ import annotations

from capdev.actions.templatetags.actions_tags import match_components
from capdev.experts.matching import Component, Match


def test_each_component_is_a_list_item_with_points_label_and_escaped_explanation():
    match = Match(
        expert_id=1,
        score=35,
        components=[
            Component("thematic", "Thematic expertise", 20, 20, "Expert in Asylum (+20)"),
            Component(
                "availability", "Availability", 0, 15, 'Already deployed in <b>"X" & Y</b> (0, excluded)'
            ),
        ],
    )
    html = str(match_components(match))
    assert html == (
        '<li><span class="pts">+20</span><span><span class="visually-hidden">Thematic expertise: </span>'
        "Expert in Asylum (+20)</span></li>"
        '<li><span class="pts zero">0</span><span><span class="visually-hidden">Availability: </span>'
        "Already deployed in &lt;b&gt;&quot;X&quot; &amp; Y&lt;/b&gt; (0, excluded)</span></li>"
    )
