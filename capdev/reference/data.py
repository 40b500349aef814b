"""Reference data shipped with capdev: the programme's regions, thematic and specific areas,
and the languages people declare. Country names come from ISO 3166-1 (pycountry)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

# Programme regions (DOMAIN.md): where partner countries sit, plus EU Member States (experts' home).
AFRICA = "africa"
ASIA = "asia"
EU_NEIGHBOURHOOD = "eu_neighbourhood"
LATIN_AMERICA = "latin_america"
EU_MEMBER_STATES = "eu_ms"
OTHER = "other"

REGIONS = [
    (AFRICA, N_("Africa")),
    (ASIA, N_("Asia")),
    (EU_NEIGHBOURHOOD, N_("EU Neighbourhood")),
    (LATIN_AMERICA, N_("Latin America & Caribbean")),
    (EU_MEMBER_STATES, N_("EU Member States")),
    (OTHER, N_("Other")),
]

EU_MS_CODES = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]

# EU Neighbourhood: the eastern and southern neighbourhood, the Western Balkans and Türkiye.
EU_NEIGHBOURHOOD_CODES = ["AM", "AZ", "BY", "GE", "MD", "UA", "DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN", "AL", "BA", "ME", "MK", "RS", "XK", "TR"]

AFRICA_CODES = ["AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI", "DJ", "GQ", "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR", "MG", "MW", "ML", "MR", "MU", "MZ", "NA", "NE", "NG", "RW", "ST", "SN", "SC", "SL", "SO", "ZA", "SS", "SD", "TZ", "TG", "UG", "ZM", "ZW", "EH", "YT", "RE", "SH"]

ASIA_CODES = ["AF", "BD", "BT", "BN", "KH", "CN", "HK", "MO", "IN", "ID", "IR", "IQ", "JP", "KZ", "KP", "KR", "KG", "LA", "MY", "MV", "MN", "MM", "NP", "OM", "PK", "PH", "QA", "SA", "SG", "LK", "TW", "TJ", "TH", "TL", "TM", "AE", "UZ", "VN", "YE", "BH", "KW", "FJ", "PG", "SB", "VU", "WS", "TO", "KI", "TV", "NR", "PW", "MH", "FM"]

LATIN_AMERICA_CODES = ["AG", "AR", "BS", "BB", "BZ", "BO", "BR", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "SV", "GD", "GT", "GY", "HT", "HN", "JM", "MX", "NI", "PA", "PY", "PE", "KN", "LC", "VC", "SR", "TT", "UY", "VE", "AI", "AW", "BQ", "VG", "KY", "CW", "GF", "GP", "MQ", "MS", "PR", "BL", "MF", "SX", "TC", "VI"]


def region_for(alpha2: str) -> str:
    """The programme region of an ISO 3166-1 alpha-2 code."""
    for codes, region in (
        (EU_MS_CODES, EU_MEMBER_STATES),
        (EU_NEIGHBOURHOOD_CODES, EU_NEIGHBOURHOOD),
        (AFRICA_CODES, AFRICA),
        (ASIA_CODES, ASIA),
        (LATIN_AMERICA_CODES, LATIN_AMERICA),
    ):
        if alpha2 in codes:
            return region
    return OTHER


# Thematic areas and their specific areas (MIEUX+ portfolio; DOMAIN.md, "Action").
THEMATIC_AREAS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "irregular",
        N_("Irregular Migration & Trafficking in Human Beings"),
        [
            ("thb", N_("Trafficking in human beings")),
            ("smuggling", N_("Smuggling of migrants")),
            ("border", N_("Border management")),
            ("return", N_("Return and reintegration")),
            ("document_fraud", N_("Document fraud")),
        ],
    ),
    (
        "legal",
        N_("Legal Migration & Mobility"),
        [
            ("labour", N_("Labour migration")),
            ("visa", N_("Visa policy")),
            ("integration", N_("Integration of migrants")),
            ("diaspora_mobility", N_("Mobility partnerships")),
        ],
    ),
    (
        "protection",
        N_("International Protection & Asylum"),
        [
            ("asylum_procedures", N_("Asylum procedures")),
            ("legal_assistance", N_("Legal assistance to asylum seekers")),
            ("reception", N_("Reception conditions")),
            ("statelessness", N_("Statelessness")),
        ],
    ),
    (
        "development",
        N_("Migration & Development"),
        [
            ("diaspora", N_("Diaspora engagement")),
            ("remittances", N_("Remittances")),
            ("policy_coherence", N_("Policy coherence for development")),
        ],
    ),
    (
        "horizontal",
        N_("Horizontal Interventions"),
        [
            ("health", N_("Migration and Health")),
            ("consular", N_("Consular Affairs")),
            ("training_capacities", N_("Training Capacities Development")),
            ("climate", N_("Climate Change")),
            ("data", N_("Migration data and statistics")),
            ("policy", N_("Migration policy and strategy")),
        ],
    ),
]

CEFR_LEVELS = [
    ("A1", "A1"),
    ("A2", "A2"),
    ("B1", "B1"),
    ("B2", "B2"),
    ("C1", "C1"),
    ("C2", "C2"),
    ("native", N_("Native")),
]

# ISO 639-1 codes of the languages people declare; names come from Django's LANG_INFO.
LANGUAGE_CODES = ["en", "fr", "es", "pt", "ar", "ru", "de", "it", "nl", "pl", "ro", "el", "bg", "hr", "cs", "sk", "sl", "hu", "sv", "da", "fi", "et", "lv", "lt", "tr", "fa", "ur", "hi", "bn", "zh", "ja", "ko", "id", "ms", "th", "vi", "uk", "ka", "hy", "az", "kk", "ky", "uz", "tg", "mn", "sw", "am", "so", "ha", "yo"]
