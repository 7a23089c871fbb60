"""The expertise themes of Quebec digital-transformation support, written for Virage.

The list follows what the support programs fund and what coaches in Quebec offer: from the digital
strategy to green IT, with Law 25 compliance as a theme of its own. Codes are stable: diagnostics
and (later) coaching refer to them.
"""

from django.db import migrations

THEMES = (
    (
        "digital-strategy",
        "Stratégie et planification numériques",
        "Digital strategy and planning",
        "Définir ses priorités numériques, un plan d’action et un budget, en lien avec la mission.",
        "Setting digital priorities, an action plan and a budget tied to the mission.",
    ),
    (
        "collaboration-tools",
        "Outils collaboratifs et bureautique infonuagique",
        "Collaboration tools and cloud office software",
        "Choisir, déployer et adopter une suite collaborative, le partage de fichiers, la visioconférence.",
        "Choosing, rolling out and adopting a collaboration suite, file sharing, video conferencing.",
    ),
    (
        "it-infrastructure",
        "Équipements et infrastructure informatique",
        "Equipment and IT infrastructure",
        "Parc informatique, réseau, sauvegardes, connectivité, gestion des postes et du soutien technique.",
        "Computers, network, backups, connectivity, device management and technical support.",
    ),
    (
        "cybersecurity",
        "Cybersécurité",
        "Cybersecurity",
        "Authentification multifacteur, sensibilisation à l’hameçonnage, plan de réponse aux incidents.",
        "Multi-factor authentication, phishing awareness, incident response plan.",
    ),
    (
        "privacy-law-25",
        "Protection des renseignements personnels (Loi 25)",
        "Protection of personal information (Law 25)",
        "Responsable désigné, politique de confidentialité, registre des incidents, évaluations des facteurs relatifs à la vie privée.",
        "A designated person in charge, a privacy policy, an incident register, privacy impact assessments.",
    ),
    (
        "data-management",
        "Gestion et valorisation des données",
        "Data management and use",
        "Organiser ses données, bases de clientèle ou de membres, qualité des données, tableaux de bord.",
        "Organizing data, client or member databases, data quality, dashboards.",
    ),
    (
        "impact-measurement",
        "Mesure d’impact et reddition de comptes",
        "Impact measurement and reporting",
        "Indicateurs, collecte et analyse pour rendre compte aux bailleurs de fonds et aux membres.",
        "Indicators, collection and analysis to report to funders and members.",
    ),
    (
        "process-automation",
        "Automatisation des processus",
        "Process automation",
        "Formulaires en ligne, flux de travail, intégration entre logiciels, gestion documentaire.",
        "Online forms, workflows, integration between software, document management.",
    ),
    (
        "artificial-intelligence",
        "Intelligence artificielle",
        "Artificial intelligence",
        "Cas d’usage, encadrement de l’utilisation de l’IA générative, éthique et risques.",
        "Use cases, rules for using generative AI, ethics and risks.",
    ),
    (
        "online-presence",
        "Présence en ligne et communication numérique",
        "Online presence and digital communication",
        "Site Web, accessibilité, médias sociaux, infolettres, référencement.",
        "Website, accessibility, social media, newsletters, search visibility.",
    ),
    (
        "e-commerce",
        "Commerce électronique et ventes en ligne",
        "E-commerce and online sales",
        "Boutique en ligne, paiements, places de marché, logistique des commandes.",
        "Online shop, payments, marketplaces, order logistics.",
    ),
    (
        "digital-skills",
        "Compétences numériques et conduite du changement",
        "Digital skills and change management",
        "Formation des équipes et des bénévoles, accompagnement de l’adoption, culture numérique.",
        "Training staff and volunteers, supporting adoption, digital culture.",
    ),
    (
        "green-it",
        "Numérique écoresponsable",
        "Green IT",
        "Prolonger la vie des équipements, réemploi, sobriété numérique, fournisseurs responsables.",
        "Extending the life of equipment, reuse, digital sobriety, responsible suppliers.",
    ),
    (
        "digital-financing",
        "Financement du virage numérique",
        "Financing digital transformation",
        "Repérer les programmes d’aide, monter un budget et une demande de financement.",
        "Finding support programs, building a budget and a funding application.",
    ),
)


def load(apps, schema_editor):
    ExpertiseTheme = apps.get_model("programs", "ExpertiseTheme")
    for position, (code, name_fr, name_en, description_fr, description_en) in enumerate(THEMES, start=1):
        ExpertiseTheme.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": description_fr,
                "description_en": description_en,
                "position": position,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("programs", "ExpertiseTheme").objects.filter(code__in=[theme[0] for theme in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_expertisetheme")]

    operations = [migrations.RunPython(load, unload)]
