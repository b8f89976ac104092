"""The citation catalogue: every source a rule may cite, with its in-force date and a link.

Articles of the Code du travail carry the LEGIARTI identifier of the version read in the snapshot of
2026-03-27 (`../shared/CODE_DU_TRAVAIL.md`), so the link opens that exact version on Légifrance.
Other sources (France compétences pages, decrees and orders not extracted, secondary sources) are
listed below with the address the brief found them at, or a Légifrance search when none is known.

Pure data, stdlib only. `tests/rules/test_citations.py` checks this table against the extracts file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from urllib.parse import quote_plus

LEGIFRANCE_ARTICLE = "https://www.legifrance.gouv.fr/codes/article_lc/{legiarti}"
LEGIFRANCE_SEARCH = "https://www.legifrance.gouv.fr/search/all?query={query}"
CODE_DU_TRAVAIL = "Code du travail"
SNAPSHOT = date(2026, 3, 27)  # consolidated Code du travail the brief was checked against


@dataclass(frozen=True, slots=True)
class Citation:
    key: str  # "L6113-4", or a short name for a non-code source ("fc.cqp_page")
    ref: str  # human reference: "Code du travail, art. L. 6113-4"
    text: str  # the text it belongs to: "Code du travail", "France compétences", …
    url: str
    in_force_since: date | None = None
    legiarti: str | None = None
    in_force_until: date | None = None  # last day of an earlier version; None = in force at the snapshot
    # Set on a finding's copy when the version linked came into force after the date asked: the
    # wording that applied on that date may differ (it is not reproduced in the extracts).
    later_than_date: bool = False

    def in_force_during(self, start: date, end: date | None) -> bool:
        """Was this version in force at some point of [start, end] (end None = open)?"""
        if self.in_force_until is not None and self.in_force_until < start:
            return False
        return not (self.in_force_since is not None and end is not None and self.in_force_since > end)

    def to_dict(self) -> dict:
        return {
            "ref": self.ref,
            "text": self.text,
            "url": self.url,
            "in_force_since": self.in_force_since.isoformat() if self.in_force_since else None,
            "in_force_until": self.in_force_until.isoformat() if self.in_force_until else None,
            "later_than_date": self.later_than_date,
        }


def article_label(article: str) -> str:
    """`L6113-4` → `L. 6113-4`; `D6323-1 A` → `D. 6323-1 A`."""
    return f"{article[0]}. {article[1:]}"


def legifrance_search_url(query: str) -> str:
    return LEGIFRANCE_SEARCH.format(query=quote_plus(query))


# Code du travail articles as extracted (article → (LEGIARTI of the version read, in force since)).
_ARTICLES: dict[str, tuple[str, str]] = {
    "L6113-1": ("LEGIARTI000038951917", "2019-08-23"),
    "L6113-2": ("LEGIARTI000038951914", "2019-08-23"),
    "L6113-4": ("LEGIARTI000038951901", "2019-08-23"),
    "L6113-5": ("LEGIARTI000038951893", "2019-08-23"),
    "L6113-6": ("LEGIARTI000038951890", "2019-08-23"),
    "L6113-7": ("LEGIARTI000038951888", "2019-08-23"),
    "L6113-8": ("LEGIARTI000048590265", "2023-12-20"),
    "L6113-9": ("LEGIARTI000046774788", "2022-12-23"),
    "L6314-1": ("LEGIARTI000038951760", "2019-08-23"),
    "L6314-2": ("LEGIARTI000021341930", "2009-11-26"),
    "R6113-8": ("LEGIARTI000051705166", "2025-06-09"),
    "R6113-8-1": ("LEGIARTI000051703986", "2025-06-09"),
    "R6113-9": ("LEGIARTI000051705121", "2025-06-09"),
    "R6113-10": ("LEGIARTI000051705129", "2025-06-09"),
    "R6113-11": ("LEGIARTI000051705136", "2025-06-09"),
    "R6113-11-1": ("LEGIARTI000051703978", "2025-06-09"),
    "R6113-12": ("LEGIARTI000051705161", "2025-06-09"),
    "R6113-14-1": ("LEGIARTI000043330117", "2021-04-05"),
    "R6113-15": ("LEGIARTI000041921524", "2021-01-01"),
    "R6113-16": ("LEGIARTI000051705145", "2025-06-09"),
    "R6113-16-1": ("LEGIARTI000051703955", "2025-06-09"),
    "R6113-16-3": ("LEGIARTI000051703942", "2025-06-09"),
    "R6113-16-4": ("LEGIARTI000051703944", "2025-06-09"),
    "R6113-17-1": ("LEGIARTI000050924344", "2025-01-01"),
    "R6113-17-2": ("LEGIARTI000050924329", "2025-01-01"),
    "R6113-17-3": ("LEGIARTI000039797127", "2021-01-01"),
    "D6113-18": ("LEGIARTI000038024671", "2019-01-10"),
    "D6113-19": ("LEGIARTI000038024673", "2019-01-10"),
    "D6113-20": ("LEGIARTI000038024675", "2019-01-10"),
    "L6323-2": ("LEGIARTI000037385087", "2019-01-01"),
    "L6323-4": ("LEGIARTI000049423585", "2024-04-17"),
    "L6323-6": ("LEGIARTI000053549516", "2026-02-21"),
    "L6323-7": ("LEGIARTI000046873599", "2023-01-01"),
    "L6323-8": ("LEGIARTI000048590252", "2023-12-20"),
    "L6323-11-1": ("LEGIARTI000038951726", "2019-08-23"),
    "R6323": ("LEGIARTI000049488983", "2024-05-02"),
    "R6323-1": ("LEGIARTI000038013641", "2019-01-01"),
    "R6323-3-1": ("LEGIARTI000038005568", "2019-01-01"),
    "D6323-3-3": ("LEGIARTI000038601907", "2019-06-09"),
    "D6323-1 A": ("LEGIARTI000053569786", "2026-02-26"),
    "L6323-17-1": ("LEGIARTI000047452269", "2023-04-16"),
    "L6323-17-6": ("LEGIARTI000052437413", "2026-01-01"),
    "L6324-1": ("LEGIARTI000052437351", "2026-01-01"),
    "L6324-2": ("LEGIARTI000052437346", "2026-01-01"),
    "L6324-4": ("LEGIARTI000052437327", "2025-10-26"),
    "L6324-8": ("LEGIARTI000052437301", "2026-01-01"),
    "L6324-10": ("LEGIARTI000052437277", "2025-10-26"),
    "R6324-1": ("LEGIARTI000053428032", "2026-02-01"),
    "R6324-2": ("LEGIARTI000053428028", "2026-02-01"),
    "L6325-1": ("LEGIARTI000031088014", "2016-01-01"),
    "L6325-11": ("LEGIARTI000037386541", "2019-01-01"),
    "L6211-1": ("LEGIARTI000047926230", "2023-08-03"),
    "L6222-1": ("LEGIARTI000037385936", "2019-01-01"),
    "L6222-2": ("LEGIARTI000037385933", "2019-01-01"),
    "L6321-1": ("LEGIARTI000052437104", "2025-10-26"),
    "L6326-1": ("LEGIARTI000048600387", "2024-01-01"),
    "L6326-3": ("LEGIARTI000048600478", "2024-01-01"),
    "L6111-1": ("LEGIARTI000046774796", "2022-12-23"),
    "L6313-5": ("LEGIARTI000046774772", "2022-12-23"),
    "L6411-1": ("LEGIARTI000046774753", "2022-12-23"),
    "L6411-2": ("LEGIARTI000048600352", "2024-01-01"),
    "L6412-1-1": ("LEGIARTI000046773688", "2022-12-23"),
    "L6412-3": ("LEGIARTI000046773705", "2022-12-23"),
    "L6422-1": ("LEGIARTI000037385847", "2019-01-01"),
    "L6422-2": ("LEGIARTI000046774748", "2022-12-23"),
    "R6411-1": ("LEGIARTI000048698968", "2023-12-29"),
    "R6411-2": ("LEGIARTI000048698972", "2023-12-29"),
    "R6412-1": ("LEGIARTI000048721583", "2023-12-29"),
    "R6412-2": ("LEGIARTI000048700005", "2023-12-29"),
    "R6412-3": ("LEGIARTI000048700019", "2023-12-29"),
    "R6412-4": ("LEGIARTI000048699561", "2023-12-29"),
    "R6412-5": ("LEGIARTI000048699563", "2023-12-29"),
    "D6412-6": ("LEGIARTI000049406241", "2024-04-13"),
    "R6412-7": ("LEGIARTI000048699565", "2023-12-29"),
    "L5311-7": ("LEGIARTI000048585377", "2024-01-01"),
    "L5214-3-1": ("LEGIARTI000048597549", "2025-01-01"),
    "L5314-2": ("LEGIARTI000048597574", "2025-01-01"),
    "L5131-6": ("LEGIARTI000048590598", "2025-01-01"),
    "L5411-1": ("LEGIARTI000048590205", "2025-01-01"),
    "L6111-6": ("LEGIARTI000048600517", "2024-01-01"),
    "L6332-1": ("LEGIARTI000052437369", "2026-01-01"),
    "L6332-1-1": ("LEGIARTI000037387398", "2019-01-01"),
    "L6316-1": ("LEGIARTI000048600506", "2024-01-01"),
    "L4141-5": ("LEGIARTI000043907990", "2022-10-01"),
    "D5211-6": ("LEGIARTI000018526171", "2008-05-01"),
    "R6123-34": ("LEGIARTI000044946237", "2022-01-01"),
    "R6123-35": ("LEGIARTI000044946239", "2022-01-01"),
    "L2232-9": ("LEGIARTI000037389071", "2019-01-01"),
    "L2241-14": ("LEGIARTI000037387774", "2019-01-01"),
    "L5214-1": ("LEGIARTI000048849242", "2023-12-31"),
    "L5311-4": ("LEGIARTI000024423304", "2011-07-31"),
    "L5312-1": ("LEGIARTI000053606086", "2025-01-01"),
    "L6123-5": ("LEGIARTI000053549490", "2026-02-21"),
    "L6323-11": ("LEGIARTI000038951729", "2019-08-23"),
    "L6323-17-2": ("LEGIARTI000047452262", "2023-04-16"),
    "L6323-8-1": ("LEGIARTI000047666673", "2023-06-11"),
    "L6323-9": ("LEGIARTI000037385050", "2019-01-01"),
    "L6324-3": ("LEGIARTI000052437338", "2026-01-01"),
    "L6324-7": ("LEGIARTI000052437305", "2026-01-01"),
    "L6325-1-1": ("LEGIARTI000031087275", "2015-08-19"),
    "L6325-12": ("LEGIARTI000028698345", "2015-01-01"),
    "L6325-13": ("LEGIARTI000033024376", "2016-08-10"),
    "L6326-4": ("LEGIARTI000048600468", "2024-01-01"),
    "L6332-9": ("LEGIARTI000045178344", "2022-09-01"),
    "L6421-1": ("LEGIARTI000006904470", "2008-05-01"),
    "L6421-2": ("LEGIARTI000006904471", "2008-05-01"),
    "L6422-3": ("LEGIARTI000037385837", "2019-01-01"),
    "R6113-13": ("LEGIARTI000051705156", "2025-06-09"),
    "R6113-14": ("LEGIARTI000051705151", "2025-06-09"),
    "R6113-16-2": ("LEGIARTI000051703957", "2025-06-09"),
    "R6113-16-5": ("LEGIARTI000051703946", "2025-06-09"),
    "R6113-16-6": ("LEGIARTI000051703948", "2025-06-09"),
    "R6113-16-7": ("LEGIARTI000051704600", "2025-06-09"),
    "R6113-16-8": ("LEGIARTI000051704513", "2025-06-09"),
    "R6113-16-9": ("LEGIARTI000051704718", "2025-06-09"),
    "R6113-16-10": ("LEGIARTI000051704517", "2025-06-09"),
    "R6113-17-4": ("LEGIARTI000039797125", "2021-01-01"),
    "R6323-22": ("LEGIARTI000039216085", "2019-10-14"),
    "R6323-29": ("LEGIARTI000052141001", "2025-08-28"),
}

# Earlier versions of Code du travail articles, and articles outside the extracts: no LEGIARTI id was
# read, so the link is a Légifrance search and the reference says which wording it is. A rule version
# cites the version in force during its period (tests/rules/test_citations.py).
# key → (article, wording, in force since, in force until or None)
_EARLIER: dict[str, tuple[str, str, str, str | None]] = {
    "L6324-1@2019": ("L6324-1", "Pro-A", "2019-01-01", "2025-12-31"),
    "L6324-2@2019": ("L6324-2", "Pro-A", "2019-01-01", "2025-12-31"),
    "L6324-3@2019": ("L6324-3", "Pro-A", "2019-01-01", "2025-12-31"),
    "D6324-1-1@2020": (
        "D6324-1-1",
        "Pro-A, qualification inférieure au grade de licence",
        "2020-03-18",
        "2025-12-31",
    ),
    "L6326-1@2019": ("L6326-1", "Pôle emploi", "2019-01-01", "2023-12-31"),
    "L6326-3@2019": ("L6326-3", "Pôle emploi", "2019-01-01", "2023-12-31"),
    "L5131-6@2022": ("L5131-6", "contrat d'engagement jeune", "2022-03-01", "2024-12-31"),
    "L5312-1@2019": ("L5312-1", "Pôle emploi", "2019-01-01", "2023-12-31"),
    "L5314-2@2019": ("L5314-2", "missions locales, avant la dérogation RQTH", "2019-01-01", "2024-12-31"),
    "L6111-6@2019": (
        "L6111-6",
        "conseil en évolution professionnelle, Pôle emploi",
        "2019-01-01",
        "2023-12-31",
    ),
    "L6323-17-6@2019": (
        "L6323-17-6",
        "projet de transition professionnelle, sans forfait VAE",
        "2019-01-01",
        "2022-12-22",
    ),
    "L6323-17-6@2022": (
        "L6323-17-6",
        "forfait VAE ajouté par la loi n° 2022-1598",
        "2022-12-23",
        "2025-12-31",
    ),
    "L6411-1@2019": ("L6411-1", "VAE avant la loi n° 2022-1598", "2019-01-01", "2022-12-22"),
    "L6332-1@2019": (
        "L6332-1",
        "missions des OPCO avant la période de reconversion",
        "2019-01-01",
        "2025-12-31",
    ),
    "L6323-17-1@2019": ("L6323-17-1", "projet de transition professionnelle", "2019-01-01", "2023-04-15"),
    "L6321-1@2019": ("L6321-1", "plan de développement des compétences", "2019-01-01", "2025-10-25"),
    "L6323-6@2019": ("L6323-6", "actions éligibles au CPF", "2019-01-01", "2026-02-20"),
    "L6323-4@2019": ("L6323-4", "abondements du CPF", "2019-01-01", "2024-04-16"),
    "L5212-13": ("L5212-13", "bénéficiaires de l'obligation d'emploi, hors des extraits", "2019-01-01", None),
}

# Sources that are not Code du travail articles extracted in the snapshot.
# key → (ref, text, url or None for a Légifrance search on ref, in force since or None)
_OTHER: dict[str, tuple[str, str, str | None, str | None]] = {
    "fc.cqp_page": (
        "France compétences, « Qu'est-ce qu'un certificat de qualification professionnelle (CQP) ? »",
        "France compétences",
        "https://sitefc-preprod.francecompetences.fr/fiche/quest-ce-quun-certificat-de-qualification-professionnelle-cqp",
        None,
    ),
    "fc.faq": (
        "France compétences, foire aux questions de la certification professionnelle",
        "France compétences",
        "https://www.certificationprofessionnelle.fr/foire-aux-questions",
        None,
    ),
    "decret.2024-394": (
        "Décret n° 2024-394 du 29 avril 2024 (participation forfaitaire au CPF)",
        "Journal officiel",
        None,
        "2024-05-02",
    ),
    "arrete.2024-12-26": (
        "Arrêté du 26 décembre 2024 (participation CPF 2025 : 102,23 €), via service-public.fr",
        "service-public.fr",
        "https://www.service-public.fr/particuliers/vosdroits/F10705",
        "2025-01-01",
    ),
    "arrete.2025-12-30": (
        "Arrêté du 30 décembre 2025, JO du 1er janvier 2026 (participation CPF 2026 : 103,20 €), "
        "rapporté par des sources secondaires concordantes",
        "sources secondaires",
        "https://www.apecita-media.com/cpf-le-reste-a-charge-augmente-en-2026",
        "2026-01-01",
    ),
    "decret.2026-127": (
        "Décret n° 2026-127 du 24 février 2026 (plafonds CPF)",
        "Journal officiel",
        None,
        "2026-02-26",
    ),
    "loi.2022-1598": (
        "Loi n° 2022-1598 du 21 décembre 2022, art. 10 (réforme de la VAE)",
        "Journal officiel",
        None,
        "2022-12-23",
    ),
    "loi.2023-1196": (
        "Loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi (France Travail)",
        "Journal officiel",
        None,
        "2024-01-01",
    ),
    "loi.2025-989": (
        "Loi n° 2025-989 du 24 octobre 2025, art. 11 (période de reconversion)",
        "Journal officiel",
        None,
        "2025-10-26",
    ),
    "decret.2023-1275": (
        "Décret n° 2023-1275 du 27 décembre 2023 (service public de la VAE, France VAE)",
        "Journal officiel",
        None,
        "2023-12-29",
    ),
    "vae.faq": (
        "France VAE, foire aux questions (« Il n'y a pas de durée d'expérience minimale »)",
        "vae.gouv.fr",
        "https://vae.gouv.fr/faq",
        None,
    ),
    "opcoep.cqp": (
        "OPCO EP, « Un certificat de qualification professionnelle peut-il être préparé… »",
        "OPCO EP",
        "https://opcoep.fr/question-formation/",
        None,
    ),
    "educpros.2012": (
        "Réponse ministérielle de 2012 citée par educpros (CQP et apprentissage, niveau)",
        "educpros",
        "http://blog.educpros.fr/michelabherve/2012/10/27/",
        None,
    ),
    "centreinffo.ptp": (
        "Centre Inffo, projet de transition professionnelle mobilisant le CPF",
        "Centre Inffo",
        "https://www.centre-inffo.fr/chapitre/projet-de-transition-professionnelle-mobilisant-le-compte-personnel-de-formation",
        None,
    ),
    "centreinffo.opco_tables": (
        "Centre Inffo, tables de correspondance des branches et entreprises adhérentes des OPCO",
        "Centre Inffo",
        "https://www.centre-inffo.fr/site-droit-formation/france-competences-modalites-detablissement-dactualisation-et-de-diffusion-des-tables-de-correspondance-des-branches-et-entreprises-adherentes-des-opco",
        "2022-01-01",
    ),
    "decret.2021-1916": (
        "Décret n° 2021-1916 du 30 décembre 2021 (tables de correspondance IDCC → OPCO)",
        "Journal officiel",
        None,
        "2022-01-01",
    ),
    "educ.L335-5@2019": (
        "Code de l'éducation, art. L. 335-5 (rédaction antérieure à la loi n° 2022-1598 : activité d'au "
        "moins un an en rapport avec la certification)",
        "Code de l'éducation",
        None,
        "2019-01-01",
    ),
    "educ.R335-6@2017": (
        "Code de l'éducation, art. R. 335-6 II (version du 1er octobre 2017 : « activités exercées pendant "
        "une durée d'au moins un an, de façon continue ou non »)",
        "Code de l'éducation",
        None,
        "2017-10-01",
    ),
    "educ.R335-7": (
        "Code de l'éducation, art. R. 335-7 (un seul dossier de recevabilité par année civile et par "
        "certification, trois au plus pour des certifications différentes), maintenu par la note de "
        "l'art. R. 6412-1 pour les certifications pas encore sur France VAE",
        "Code de l'éducation",
        None,
        "2017-10-01",
    ),
    "loi.2022-1598.art11": (
        "Loi n° 2022-1598 du 21 décembre 2022, art. 11 (contrat de professionnalisation expérimental avec "
        "des actions de VAE, contrats conclus du 28 mai 2023 au 28 février 2026)",
        "Journal officiel",
        None,
        "2023-05-28",
    ),
    "an.2018-amendements-cqp": (
        "Débats de la loi n° 2018-771 : amendements ouvrant l'apprentissage aux CQP non adoptés (p. ex. "
        "amendement AN n° 1177 du 21 juillet 2018, nosdeputes.fr)",
        "Assemblée nationale",
        "https://www.nosdeputes.fr/15/dossier/2164",
        "2018-07-21",
    ),
    "transitionspro.2020": (
        "Fin des Fongecif au 31 décembre 2019 : les associations Transitions Pro (CPIR) financent le projet "
        "de transition professionnelle depuis le 1er janvier 2020 (syntec.fr, interfor.fr)",
        "sources secondaires",
        "https://www.transitionspro.fr/",
        "2020-01-01",
    ),
    "transco.2021": (
        "Instruction du 11 janvier 2021 relative au dispositif Transitions collectives (Transco), de 2021 "
        "à l'entrée en vigueur de la période de reconversion, rapportée par des sources secondaires",
        "sources secondaires",
        "https://www.transitionspro.fr/",
        "2021-01-15",
    ),
    "cep.2020": (
        "Nouveaux opérateurs régionaux du conseil en évolution professionnelle des actifs occupés depuis "
        "le 1er janvier 2020 (France compétences), nouvelleviepro.fr",
        "sources secondaires",
        "https://www.nouvelleviepro.fr/",
        "2020-01-01",
    ),
    "loi.2021-1900": (
        "Loi n° 2021-1900 du 30 décembre 2021 de finances pour 2022, art. 208 (création du contrat "
        "d'engagement jeune au 1er mars 2022)",
        "Journal officiel",
        None,
        "2022-01-01",
    ),
    "loi.2018-771": (
        "Loi n° 2018-771 du 5 septembre 2018 pour la liberté de choisir son avenir professionnel",
        "Journal officiel",
        None,
        "2019-01-01",
    ),
}


def _fr(day: str) -> str:
    return date.fromisoformat(day).strftime("%d/%m/%Y")


def _build() -> dict[str, Citation]:
    catalogue: dict[str, Citation] = {}
    for article, (legiarti, since) in _ARTICLES.items():
        catalogue[article] = Citation(
            key=article,
            ref=f"{CODE_DU_TRAVAIL}, art. {article_label(article)}",
            text=CODE_DU_TRAVAIL,
            url=LEGIFRANCE_ARTICLE.format(legiarti=legiarti),
            in_force_since=date.fromisoformat(since),
            legiarti=legiarti,
        )
    for key, (article, wording, since, until) in _EARLIER.items():
        period = (
            f"en vigueur du {_fr(since)} au {_fr(until)}" if until else f"en vigueur depuis le {_fr(since)}"
        )
        catalogue[key] = Citation(
            key=key,
            ref=f"{CODE_DU_TRAVAIL}, art. {article_label(article)} (rédaction {period}"
            f"{' : ' + wording if wording else ''} ; non reproduite dans nos extraits)",
            text=CODE_DU_TRAVAIL,
            url=legifrance_search_url(f"{CODE_DU_TRAVAIL} article {article_label(article)}"),
            in_force_since=date.fromisoformat(since),
            in_force_until=date.fromisoformat(until) if until else None,
        )
    for key, (ref, text, url, since) in _OTHER.items():
        catalogue[key] = Citation(
            key=key,
            ref=ref,
            text=text,
            url=url or legifrance_search_url(ref.split(" (")[0]),
            in_force_since=date.fromisoformat(since) if since else None,
        )
    return catalogue


CATALOGUE: dict[str, Citation] = _build()


@lru_cache(maxsize=2048)
def cite_on(key: str, on: date) -> Citation:
    """The citation as shown on an answer for `on`: flagged when its version is later than `on`."""
    citation = cite(key)
    if citation.in_force_since is not None and citation.in_force_since > on:
        return replace(citation, later_than_date=True)
    return citation


def cite(key: str) -> Citation:
    """The citation for `key`; an unknown key is a programming error in the rule book."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"unknown citation {key!r}: add it to cqphub/rules/citations.py") from None
