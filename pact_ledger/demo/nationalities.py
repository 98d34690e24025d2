"""Who arrives where, how often they are recognised, and which language they are told things in.

Figures are rounded and illustrative (the shape of Eurostat's first-instance figures, not the
figures themselves).
"""

from __future__ import annotations

from ledger.vocabulary import DecisionType as D


def _weights(spec: str) -> dict[str, int]:
    return {code: int(w) for code, w in (item.split(":") for item in spec.split())}


#: Nationality weights by arrival region (XX: stateless or unknown).
ARRIVALS = {
    "cmed": _weights("BD:16 TN:12 EG:12 SY:10 ER:8 PK:8 GN:6 CI:6 SD:6 ML:4 MA:4 NG:4 SO:2 AF:2"),
    "emed": _weights("AF:18 SY:18 EG:10 PK:8 SO:8 SD:6 IQ:6 TR:6 PS:5 ER:4 CD:4 BD:4 XX:3"),
    "wmed": _weights("MA:14 ML:14 CO:14 SN:12 VE:12 DZ:8 GM:6 MR:6 PE:5 GN:4 SY:3 UA:2"),
    "land": _weights("AF:20 SY:18 MA:8 TR:8 PK:8 IQ:8 BD:6 IN:4 ER:4 RU:4 BY:3 SO:3 NG:3"),
    "inland": _weights("SY:14 AF:14 TR:12 IQ:8 ER:6 SO:6 GE:6 CO:6 NG:6 VE:4 BD:4 PK:4 IR:4 "
                       "RU:4 CD:4 CI:4 GN:4 UA:2 XX:2"),
}
#: EU-wide first-instance recognition at or below 20% (APR Arts 42(1)(j), 45(1)(c)).
LOW_RECOGNITION = frozenset("BD PK EG TN MA GE CO DZ IN SN PE".split())
#: Share of first-instance decisions that grant protection (others: 15%, low recognition: 4%).
GRANT_RATE = {"SY": .8, "AF": .65, "ER": .85, "SO": .7, "SD": .75, "ML": .5, "UA": .85,
              "PS": .75, "XX": .65, "BY": .6, "IR": .45, "RU": .4, "IQ": .3, "CD": .3,
              "GN": .25, "TR": .25, "CI": .2, "MR": .2, "GM": .15, "NG": .12, "VE": .08}
#: Subsidiary protection more often (armed conflict, QR Art 15(c)).
CONFLICT = frozenset("SY AF SO SD ML UA IQ".split())

_LANGUAGES = {
    "ar": "SY EG TN SD PS IQ DZ MA", "fa-AF": "AF", "bn": "BD", "ti": "ER", "ur": "PK",
    "so": "SO", "fr": "GN CI ML SN CD MR", "en": "NG GM XX", "es": "CO VE PE", "tr": "TR",
    "ru": "RU BY GE UA", "fa": "IR", "hi": "IN",
}
LANGUAGE = {code: lang for lang, codes in _LANGUAGES.items() for code in codes.split()}
#: Languages the authorities work in without an interpreter, by member state.
OFFICIAL = {"IT": "it", "EL": "el", "ES": "es", "CY": "el", "MT": "en", "BG": "bg", "HR": "hr",
            "PL": "pl", "LT": "lt", "DE": "de", "FR": "fr", "NL": "nl", "BE": "fr", "AT": "de",
            "SE": "sv", "IE": "en", "PT": "pt"}


def grant_rate(nationality: str) -> float:
    return GRANT_RATE.get(nationality, 0.04 if nationality in LOW_RECOGNITION else 0.15)


GROUNDS = {
    D.REFUGEE_STATUS: "Well-founded fear of persecution (QR Arts 9-10)",
    D.SUBSIDIARY_PROTECTION: "Real risk of serious harm (QR Art 15)",
    D.UNFOUNDED: "No well-founded fear or real risk established (APR Art 39(2))",
    D.MANIFESTLY_UNFOUNDED: "Safe country of origin; only irrelevant issues raised (APR Art 39(3))",
    D.IMPLICITLY_WITHDRAWN: "Did not lodge or comply without good cause (APR Art 41(1))",
    D.EXPLICITLY_WITHDRAWN: "The applicant withdrew the application (APR Art 40)",
}
INADMISSIBLE = ("Safe third country (APR Art 38(1)(b))",
                "First country of asylum (APR Art 38(1)(a))")
NO_NEW_ELEMENTS = "Subsequent application without new elements (APR Art 38(1)(d))"
RETURN_EXCEPTIONS = (
    "Residence permit on humanitarian grounds under consideration (Return Directive Art 6(4))",
    "Holds a valid residence permit of another member state (Return Directive Art 6(2))",
    "Return deferred: serious illness (Return Directive Art 9(2)(a))",
)
