"""Which recommendation rules match an assessment, and in which order they form the action plan.

A rule matches when the score of its dimension is below its threshold (a dimension without a score
does not match), or when the organization expressed the need its rule names. Matched rules are
ordered by priority, then by the score that triggered them (weakest first; needs after scores),
then by id, so that the same assessment always gives the same plan.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Rules every program starts with (``services.rules_load_defaults``): for each dimension, what to
# recommend below 50, by expertise themes' codes; and, for some needs, the matching coaching theme.
# Learning paths and event topics are the program's own: staff add them to the rules in the UI.
DEFAULT_RULES = (
    {
        "dimension": "digital_strategy",
        "below_score": "50",
        "priority": 10,
        "title_fr": "Bâtir un plan numérique lié à la mission",
        "title_en": "Build a digital plan tied to the mission",
        "advice_fr": "Faites de vos priorités numériques un plan d’action avec un budget, porté par la direction.",
        "advice_en": "Turn your digital priorities into an action plan with a budget, led by management.",
        "themes": ("digital-strategy", "digital-financing"),
    },
    {
        "dimension": "digital_readiness",
        "below_score": "50",
        "priority": 20,
        "title_fr": "Mettre à niveau les équipements et les outils",
        "title_en": "Upgrade equipment and tools",
        "advice_fr": (
            "Faites l’inventaire de vos équipements et choisissez des outils collaboratifs adaptés à l’équipe."
        ),
        "advice_en": "Take stock of your equipment and choose collaboration tools that suit the team.",
        "themes": ("it-infrastructure", "collaboration-tools"),
    },
    {
        "dimension": "people_skills",
        "below_score": "50",
        "priority": 30,
        "title_fr": "Développer les compétences numériques de l’équipe",
        "title_en": "Develop the team's digital skills",
        "advice_fr": "Prévoyez un plan de formation et une personne qui accompagne l’adoption des outils.",
        "advice_en": "Plan training and name someone to support the adoption of tools.",
        "themes": ("digital-skills",),
    },
    {
        "dimension": "data_security",
        "below_score": "60",
        "priority": 5,
        "title_fr": "Protéger les données et se conformer à la Loi 25",
        "title_en": "Protect data and comply with Law 25",
        "advice_fr": (
            "Désignez la personne responsable des renseignements personnels, activez "
            "l’authentification multifacteur et testez vos sauvegardes."
        ),
        "advice_en": (
            "Designate the person in charge of personal information, turn "
            "on multi-factor authentication and test your backups."
        ),
        "themes": ("privacy-law-25", "cybersecurity"),
    },
    {
        "dimension": "automation_ai",
        "below_score": "40",
        "priority": 40,
        "title_fr": "Automatiser les tâches répétitives et encadrer l’IA",
        "title_en": "Automate repetitive tasks and frame the use of AI",
        "advice_fr": (
            "Commencez par les formulaires et les rappels; adoptez des règles avant d’utiliser l’IA générative."
        ),
        "advice_en": "Start with forms and reminders; adopt rules before using generative AI.",
        "themes": ("process-automation", "artificial-intelligence"),
    },
    {
        "dimension": "green_digital",
        "below_score": "40",
        "priority": 60,
        "title_fr": "Adopter un numérique plus sobre",
        "title_en": "Adopt greener digital practices",
        "advice_fr": "Prolongez la vie des équipements, privilégiez le reconditionné et le réemploi.",
        "advice_en": "Extend the life of equipment, favour refurbished devices and reuse.",
        "themes": ("green-it",),
    },
    {
        "needed_theme": "digital-financing",
        "priority": 15,
        "title_fr": "Monter le financement de vos projets numériques",
        "title_en": "Put together the financing of your digital projects",
        "advice_fr": "Un accompagnement pour repérer les programmes d’aide et préparer votre demande.",
        "advice_en": "Coaching to find support programs and prepare your application.",
        "themes": ("digital-financing",),
    },
    {
        "needed_theme": "data-management",
        "priority": 25,
        "title_fr": "Organiser et valoriser vos données",
        "title_en": "Organize and make use of your data",
        "advice_fr": "Un accompagnement pour structurer vos données et bâtir vos premiers tableaux de bord.",
        "advice_en": "Coaching to structure your data and build your first dashboards.",
        "themes": ("data-management", "impact-measurement"),
    },
)


@dataclass(frozen=True)
class RuleFacts:
    id: int
    priority: int
    dimension: str = ""
    below_score: Decimal | None = None
    needed_theme_id: int | None = None


@dataclass(frozen=True)
class Match:
    rule_id: int
    dimension: str
    score: Decimal | None
    theme_id: int | None


def match_rules(
    rules: Iterable[RuleFacts], scores: dict[str, Decimal | None], needed_theme_ids: Iterable[int]
) -> list[Match]:
    """The matching rules, in the action plan's order."""
    needed = set(needed_theme_ids)
    matches = []
    for rule in rules:
        if rule.dimension and rule.below_score is not None:
            score = scores.get(rule.dimension)
            if score is not None and score < rule.below_score:
                matches.append((rule.priority, 0, score, rule.id, Match(rule.id, rule.dimension, score, None)))
                continue
        if rule.needed_theme_id is not None and rule.needed_theme_id in needed:
            matches.append((rule.priority, 1, Decimal("101"), rule.id, Match(rule.id, "", None, rule.needed_theme_id)))
    matches.sort(key=lambda item: item[:4])
    return [item[4] for item in matches]
