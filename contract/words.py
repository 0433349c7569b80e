"""The one word table (docs/contract.md §4): every visible word the suite relies on.

Each entry gives FR, NL and DE. Entries marked ``# §4`` are the contract's own table; the
others are labels the seed shows in French that §4 leaves out, with our NL and DE ([mock]).
Correcting a word for a real portal is a one-line change here.

Messages (errors, explanations) are each portal's own and are not in this table, but for the
words §4 gives for a message: ``private_key_words``, which CERT-3's message contains (compared
with case aside).
"""

from typing import Literal, get_args

LANGUAGES = ("fr", "nl", "de")
DEFAULT_LANGUAGE = "fr"

# Every key of the table: a key mistyped anywhere fails mypy (the table itself is checked too).
WordKey = Literal[
    "app_title",
    "lang_nl",
    "lang_fr",
    "lang_de",
    "header_home",
    "header_responsibles",
    "header_help",
    "header_quit",
    "login_title",
    "login_username",
    "login_password",
    "login_submit",
    "denomination",
    "enterprise_number",
    "quality",
    "quality_employer",
    "onss_number",
    "creation_date",
    "role_gl",
    "role_cogl",
    "no_active_sender",
    "functionalities",
    "quality_management",
    "home",
    "structured_messages",
    "personal_data",
    "register_configuration",
    "overview",
    "channels",
    "channel_ftp",
    "channel_sftp",
    "channel_ws",
    "delete_configuration",
    "wizard_title",
    "step_information",
    "step_contact",
    "step_channel",
    "step_confirmation",
    "cancel",
    "previous",
    "next",
    "confirm",
    "last_name",
    "first_name",
    "title",
    "function",
    "language_regime",
    "phone",
    "fax",
    "mobile",
    "emails",
    "email_1",
    "email_2",
    "email_3",
    "title_mr",
    "title_mrs",
    "title_miss",
    "language_fr",
    "language_nl",
    "language_de",
    "certificate_upload",
    "applications",
    "ssh_key",
    "private_key_words",
    "section_contact",
    "section_channel",
    "section_certificate",
    "channel",
    "channel_value_ws",
    "channel_value_ftp",
    "channel_value_sftp",
    "connection_type",
    "connection_internet",
    "cert_owner",
    "cert_company",
    "cert_issuer",
    "cert_expiry",
    "cert_expiry_overview",
    "serial_decimal",
    "serial_hex",
    "channel_added",
    "section_contact_overview",
    "section_technical_user",
    "section_web_service",
    "section_ftp",
    "section_sftp",
    "sender_number",
    "registration_date",
    "technical_username",
    "oauth_client",
    "applications_summary",
    "access_refused",
]

_TABLE: dict[WordKey, tuple[str, str, str]] = {
    # key: (fr, nl, de)
    # header
    "app_title": (
        "Gestion d'accès pour Entreprises et Organisations",
        "Toegangsbeheer voor Ondernemingen en Organisaties",
        "Zugriffsverwaltung für Unternehmen und Organisationen",
    ),  # §4
    "lang_nl": ("NL", "NL", "NL"),
    "lang_fr": ("FR", "FR", "FR"),
    "lang_de": ("DE", "DE", "DE"),
    "header_home": ("Home", "Home", "Home"),
    "header_responsibles": ("Vos Responsables", "Uw Verantwoordelijken", "Ihre Verantwortlichen"),
    "header_help": ("Help", "Help", "Hilfe"),
    "header_quit": ("Quit", "Quit", "Quit"),
    # login [mock]
    "login_title": ("Connexion", "Aanmelding", "Anmeldung"),
    "login_username": ("Nom d'utilisateur", "Gebruikersnaam", "Benutzername"),
    "login_password": ("Mot de passe", "Wachtwoord", "Passwort"),
    "login_submit": ("Se connecter", "Aanmelden", "Anmelden"),
    # quality banner and Home
    "denomination": ("Dénomination", "Benaming", "Bezeichnung"),
    "enterprise_number": ("Numéro d'entreprise", "Ondernemingsnummer", "Unternehmensnummer"),
    "quality": ("Qualité", "Hoedanigheid", "Eigenschaft"),
    "quality_employer": ("Employeur ONSS", "Werkgever RSZ", "Arbeitgeber LSS"),
    "onss_number": ("Matricule ONSS", "RSZ-nummer", "LSS-Nummer"),
    "creation_date": ("Date de création", "Aanmaakdatum", "Erstellungsdatum"),
    "role_gl": ("Gestionnaire Local", "Lokale Beheerder", "Lokaler Verwalter"),
    "role_cogl": ("Co-gestionnaire Local", "Lokale Medebeheerder", "Lokaler Mitverwalter"),
    "no_active_sender": (
        "Il n'y a pas d'expéditeur actif.",
        "Er is geen actieve verzender.",
        "Es gibt keinen aktiven Absender.",
    ),  # §4
    # side navigation
    "functionalities": ("Fonctionnalités", "Functionaliteiten", "Funktionen"),  # §4
    "quality_management": ("Gestion Qualité", "Beheer hoedanigheid", "Verwaltung der Eigenschaft"),  # §4
    "home": ("Accueil", "Startpagina", "Startseite"),  # §4
    "structured_messages": ("Messages structurés", "Gestructureerde berichten", "Strukturierte Nachrichten"),  # §4
    "personal_data": ("Données personnelles", "Persoonlijke gegevens", "Persönliche Daten"),
    "register_configuration": (
        "Enregistrement des données de configuration",
        "Registratie van de configuratiegegevens",
        "Erfassung der Konfigurationsdaten",
    ),  # §4
    "overview": (
        "Aperçu des données de configuration",
        "Overzicht van de configuratiegegevens",
        "Übersicht der Konfigurationsdaten",
    ),  # §4
    "channels": ("Canaux", "Kanalen", "Kanäle"),  # §4
    "channel_ftp": ("Canal FTP", "Kanaal FTP", "Kanal FTP"),  # §4
    "channel_sftp": ("Canal SFTP", "Kanaal SFTP", "Kanal SFTP"),  # §4
    "channel_ws": ("Canal Web Service", "Kanaal Webservice", "Kanal Webservice"),  # §4
    "delete_configuration": (
        "Suppression de l'envoi par messages structurés",
        "Stopzetting van het verzenden van gestructureerde berichten",
        "Einstellung des Versands strukturierter Nachrichten",
    ),  # §4
    # wizard
    "wizard_title": (
        "Création d'un utilisateur technique",
        "Aanmaak van een technische gebruiker",
        "Erstellung eines technischen Benutzers",
    ),  # §4
    "step_information": ("Information", "Informatie", "Information"),  # §4
    "step_contact": ("Personne de contact", "Contactpersoon", "Kontaktperson"),  # §4
    "step_channel": ("Données du canal", "Kanaalgegevens", "Kanaldaten"),  # §4
    "step_confirmation": ("Confirmation", "Bevestiging", "Bestätigung"),  # §4
    "cancel": ("Annuler", "Annuleren", "Abbrechen"),  # §4
    "previous": ("Précédent", "Vorige", "Zurück"),  # §4
    "next": ("Suivant", "Volgende", "Weiter"),  # §4
    "confirm": ("Confirmer", "Bevestigen", "Bestätigen"),  # §4
    # contact person
    "last_name": ("Nom", "Naam", "Name"),  # §4
    "first_name": ("Prénom", "Voornaam", "Vorname"),  # §4
    "title": ("Titre", "Titel", "Titel"),  # §4
    "function": ("Fonction", "Functie", "Funktion"),  # §4
    "language_regime": ("Régime linguistique", "Taalregime", "Sprachregelung"),  # §4
    "phone": ("Téléphone", "Telefoon", "Telefon"),  # §4
    "fax": ("Fax", "Fax", "Fax"),  # §4
    "mobile": ("Mobile", "Gsm", "Mobiltelefon"),  # §4
    "emails": ("Adresses e-mail", "E-mailadressen", "E-Mail-Adressen"),  # §4
    "email_1": ("Adresse e-mail 1", "E-mailadres 1", "E-Mail-Adresse 1"),  # §4
    "email_2": ("Adresse e-mail 2", "E-mailadres 2", "E-Mail-Adresse 2"),
    "email_3": ("Adresse e-mail 3", "E-mailadres 3", "E-Mail-Adresse 3"),
    "title_mr": ("M.", "Dhr.", "Herr"),  # §4
    "title_mrs": ("Mme", "Mevr.", "Frau"),  # §4
    "title_miss": ("Mlle", "Mej.", "Fräulein"),  # §4
    "language_fr": ("Français", "Frans", "Französisch"),  # §4
    "language_nl": ("Néerlandais", "Nederlands", "Niederländisch"),  # §4
    "language_de": ("Allemand", "Duits", "Deutsch"),  # §4
    # channel data
    "certificate_upload": (
        "Chargement du certificat",
        "Opladen van het certificaat",
        "Hochladen des Zertifikats",
    ),  # §4
    "applications": ("Liste des applications", "Lijst van de toepassingen", "Liste der Anwendungen"),  # §4
    "ssh_key": ("Clé publique SSH", "Publieke SSH-sleutel", "Öffentlicher SSH-Schlüssel"),  # §4
    # inside CERT-3's message (never upload a private key), case aside: not a label
    "private_key_words": ("clé privée", "private sleutel", "privaten Schlüssel"),  # §4
    # confirmation and overview
    "section_contact": ("Personne de contact", "Contactpersoon", "Kontaktperson"),
    "section_channel": ("Canal", "Kanaal", "Kanal"),
    "section_certificate": ("Certificat", "Certificaat", "Zertifikat"),
    "channel": ("Canal", "Kanaal", "Kanal"),
    "channel_value_ws": ("Web Service", "Webservice", "Webservice"),
    "channel_value_ftp": ("FTP", "FTP", "FTP"),
    "channel_value_sftp": ("SFTP", "SFTP", "SFTP"),
    "connection_type": ("Type de connexion", "Verbindingstype", "Verbindungstyp"),
    "connection_internet": ("Internet", "Internet", "Internet"),
    "cert_owner": ("Propriétaire du certificat", "Eigenaar van het certificaat", "Inhaber des Zertifikats"),
    "cert_company": ("Nom de l'entreprise", "Naam van de onderneming", "Name des Unternehmens"),
    "cert_issuer": ("Fournisseur du certificat", "Uitgever van het certificaat", "Aussteller des Zertifikats"),
    "cert_expiry": ("Date d'expiration", "Vervaldatum", "Ablaufdatum"),
    "cert_expiry_overview": (
        "Date d'expiration du certificat",
        "Vervaldatum van het certificaat",
        "Ablaufdatum des Zertifikats",
    ),
    "serial_decimal": (
        "Numéro de série (format décimal)",
        "Serienummer (decimaal formaat)",
        "Seriennummer (Dezimalformat)",
    ),
    "serial_hex": (
        "Numéro de série (format hexadécimal)",
        "Serienummer (hexadecimaal formaat)",
        "Seriennummer (Hexadezimalformat)",
    ),
    "channel_added": (
        "Le canal a bien été ajouté.",
        "Het kanaal werd toegevoegd.",
        "Der Kanal wurde hinzugefügt.",
    ),  # §4
    "section_contact_overview": (
        "Identification de la personne de contact",
        "Identificatie van de contactpersoon",
        "Identifikation der Kontaktperson",
    ),
    "section_technical_user": (
        "Identification de l'utilisateur technique",
        "Identificatie van de technische gebruiker",
        "Identifikation des technischen Benutzers",
    ),
    "section_web_service": ("Web service", "Webservice", "Webservice"),
    "section_ftp": ("FTP", "FTP", "FTP"),
    "section_sftp": ("SFTP", "SFTP", "SFTP"),
    "sender_number": ("N° expéditeur", "Verzendernummer", "Absendernummer"),  # §4
    "registration_date": ("Date d'inscription", "Inschrijvingsdatum", "Anmeldedatum"),  # §4
    "technical_username": ("Nom d'utilisateur", "Gebruikersnaam", "Benutzername"),  # §4
    "oauth_client": ("Client OAUTH", "OAuth-client", "OAuth-Client"),  # §4
    "applications_summary": ("Applications", "Toepassingen", "Anwendungen"),
    # access refused [mock]
    "access_refused": ("Accès refusé", "Toegang geweigerd", "Zugriff verweigert"),
}

# The application names of CHANNEL-3 stay in the language the seed gives them in (§4).
APPLICATIONS = (
    "Publiato",
    "Déclaration multifonctionnelle Dmfa",
    "Chômage temporaire",
    "DIMONA V2: Déclaration Immédiate à l'emploi",
    "Déclaration unique de chantier",
    "Déclaration des risques sociaux",
    "Retraites complémentaires administrateur",
    "Déclaration électronique au Cadastre des Pensions (layout plat)",
)

WORDS: dict[WordKey, dict[str, str]] = {
    key: dict(zip(LANGUAGES, values, strict=True)) for key, values in _TABLE.items()
}


def word_key(text: str) -> WordKey:
    """``text`` as a word key, for a key made at run time (``f"channel_{kind}"``): checked now,
    since mypy cannot."""
    if text not in WORDS:
        raise KeyError(f"no word {text!r} in the table (contract/words.py)")
    return text  # narrowed by the test above


def word(key: WordKey, language: str = DEFAULT_LANGUAGE) -> str:
    """The word for ``key`` in ``language`` ("fr", "nl" or "de")."""
    return WORDS[key][language]


class Words:
    """The table in one language: ``Words("nl")["next"] == "Volgende"``. Keys are
    :data:`WordKey`s, so mypy finds a mistyped one."""

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
        self.language = language

    def __getitem__(self, key: WordKey) -> str:
        return WORDS[key][self.language]

    def __repr__(self) -> str:
        return f"Words({self.language!r})"


WORD_KEYS: tuple[WordKey, ...] = get_args(WordKey)
