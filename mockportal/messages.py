"""The mock's own sentences in FR, NL and DE: errors, explanations, statuses.

The contract leaves messages to each portal (§4): the suite never relies on their wording, only
on the labels they name. Words the suite does rely on come from ``contract/words.py``; a
message names a field through ``{label}``, filled in with the field's word from that table.
"""

from __future__ import annotations

from contract.words import LANGUAGES, WORDS

# CERT-3: §4 gives the words the never-upload-a-private-key message contains.
_KEY = WORDS["private_key_words"]

_MESSAGES = {
    # key: (fr, nl, de)
    # -- page chrome ------------------------------------------------------------------------
    "language_nav": ("Langue", "Taal", "Sprache"),
    "header_nav": ("Menu", "Menu", "Menü"),
    "steps_nav": ("Étapes", "Stappen", "Schritte"),
    "required_note": ("* Champs obligatoires", "* Verplichte velden", "* Pflichtfelder"),
    "email_note": (
        "** Au moins une adresse e-mail",
        "** Minstens één e-mailadres",
        "** Mindestens eine E-Mail-Adresse",
    ),
    "error_summary_title": (
        "Veuillez corriger les points suivants :",
        "Gelieve het volgende te verbeteren:",
        "Bitte korrigieren Sie Folgendes:",
    ),
    "login_failed": (
        "Nom d'utilisateur ou mot de passe incorrect.",
        "Gebruikersnaam of wachtwoord onjuist.",
        "Benutzername oder Passwort falsch.",
    ),
    "login_intro": (
        "Connectez-vous avec le compte que vous a donné votre gestionnaire.",
        "Meld u aan met de account die uw beheerder u gaf.",
        "Melden Sie sich mit dem Konto an, das Ihnen Ihr Verwalter gegeben hat.",
    ),
    # -- Home ------------------------------------------------------------------------------
    "greeting_role": (
        "Bienvenue vous accédez en tant que {role} au portail de la Sécurité Sociale pour la qualité suivante:",
        "Welkom, u bent aangemeld als {role} op het portaal van de Sociale Zekerheid voor de volgende hoedanigheid:",
        "Willkommen, Sie sind als {role} im Portal der Sozialen Sicherheit für die folgende Eigenschaft angemeldet:",
    ),
    "greeting_plain": (
        "Bienvenue au portail de la Sécurité Sociale pour la qualité suivante:",
        "Welkom op het portaal van de Sociale Zekerheid voor de volgende hoedanigheid:",
        "Willkommen im Portal der Sozialen Sicherheit für die folgende Eigenschaft:",
    ),
    "check_quality": (
        "Pensez à vérifier régulièrement les données de la qualité que vous gérez.",
        "Controleer regelmatig de gegevens van de hoedanigheid die u beheert.",
        "Überprüfen Sie regelmäßig die Daten der Eigenschaft, die Sie verwalten.",
    ),
    "active_sender": (
        "Expéditeur actif : numéro {sender}.",
        "Actieve verzender: nummer {sender}.",
        "Aktiver Absender: Nummer {sender}.",
    ),
    "deleted": (
        "L'envoi par messages structurés a été supprimé.",
        "Het verzenden van gestructureerde berichten werd stopgezet.",
        "Der Versand strukturierter Nachrichten wurde eingestellt.",
    ),
    # -- wizard ----------------------------------------------------------------------------
    "info_1": (
        "Outre la gestion des utilisateurs pour les applications du portail, il est possible de gérer "
        "des données relatives à l'envoi de messages structurés.",
        "Naast het beheer van de gebruikers voor de toepassingen van het portaal kunt u gegevens "
        "beheren voor het verzenden van gestructureerde berichten.",
        "Neben der Verwaltung der Benutzer für die Anwendungen des Portals können Sie Daten für "
        "den Versand strukturierter Nachrichten verwalten.",
    ),
    "info_2": (
        "L'envoi de messages structurés (transfert de fichiers) est surtout utile pour effectuer des "
        "envois avec un grand volume de déclarations. L'échange de données par transfert de fichiers "
        "est actuellement possible via les canaux batch SFTP, FTP et MQLink.",
        "Het verzenden van gestructureerde berichten (bestandsoverdracht) is vooral nuttig voor "
        "zendingen met een groot aantal aangiften. De uitwisseling van gegevens via bestandsoverdracht "
        "is momenteel mogelijk via de batchkanalen SFTP, FTP en MQLink.",
        "Der Versand strukturierter Nachrichten (Dateiübertragung) ist vor allem für Sendungen mit "
        "vielen Erklärungen nützlich. Der Datenaustausch per Dateiübertragung ist derzeit über die "
        "Batch-Kanäle SFTP, FTP und MQLink möglich.",
    ),
    "info_3": (
        "Lors de votre première connexion pour demander accès aux échanges structurés, l'application "
        "vous demande d'enregistrer les informations nécessaires.",
        "Bij uw eerste aanmelding om toegang te vragen tot de gestructureerde uitwisselingen vraagt de "
        "toepassing u de nodige gegevens te registreren.",
        "Bei Ihrer ersten Anmeldung für den Zugang zum strukturierten Austausch bittet Sie die "
        "Anwendung, die nötigen Daten zu erfassen.",
    ),
    # (Own sentences avoid repeating the table's words: a search by visible text stays unambiguous.)
    "contact_intro": (
        "Introduisez les données de votre personne de contact technique.",
        "Vul de gegevens van uw technische contactpersoon in.",
        "Geben Sie die Daten Ihrer technischen Kontaktperson ein.",
    ),
    "contact_heading": (
        "Personne de contact pour les échanges de messages structurés par les canaux",
        "Contactpersoon voor de uitwisseling van gestructureerde berichten via de kanalen",
        "Kontaktperson für den Austausch strukturierter Nachrichten über die Kanäle",
    ),
    "identification": ("Données d'identification", "Identificatiegegevens", "Identifikationsdaten"),
    "channel_intro": (
        "Choisissez le canal et chargez ici la clé publique (.cer) de votre certificat digital.",
        "Kies het kanaal en laad hier de publieke sleutel (.cer) van uw digitaal certificaat op.",
        "Wählen Sie den Kanal und laden Sie hier den öffentlichen Schlüssel (.cer) Ihres digitalen Zertifikats hoch.",
    ),
    "certificate_rule": (
        "Conformément au règlement utilisateurs, chaque fichier devra être accompagné d'un certificat.",
        "Overeenkomstig het gebruikersreglement moet elk bestand vergezeld zijn van een certificaat.",
        "Gemäß der Benutzerordnung muss jeder Datei ein Zertifikat beiliegen.",
    ),
    "certificate_loaded": (
        "Certificat chargé : {cn}. Vous pouvez continuer sans le charger à nouveau, "
        "ou choisir un autre fichier pour le remplacer.",
        "Geladen certificaat: {cn}. U kunt verdergaan zonder het opnieuw op te laden, "
        "of een ander bestand kiezen om het te vervangen.",
        "Geladenes Zertifikat: {cn}. Sie können fortfahren, ohne es erneut hochzuladen, "
        "oder eine andere Datei wählen, um es zu ersetzen.",
    ),
    "secure_apps": ("Applications sécurisées", "Beveiligde toepassingen", "Gesicherte Anwendungen"),
    "secure_apps_text": (
        "Pour les canaux FTP et SFTP, sélectionnez les applications pour lesquelles l'échange "
        "par messages structurés est autorisé.",
        "Voor de kanalen FTP en SFTP selecteert u de toepassingen waarvoor de uitwisseling "
        "van gestructureerde berichten toegestaan is.",
        "Für die Kanäle FTP und SFTP wählen Sie die Anwendungen, für die der Austausch "
        "strukturierter Nachrichten erlaubt ist.",
    ),
    "ssh_help": (
        "Pour SFTP : la clé du client SFTP, au format OpenSSH sur une ligne "
        "(ssh-ed25519, ou ssh-rsa d'au moins 2048 bits).",
        "Voor SFTP: de sleutel van de SFTP-client, in OpenSSH-formaat op één regel "
        "(ssh-ed25519, of ssh-rsa van minstens 2048 bits).",
        "Für SFTP: der Schlüssel des SFTP-Clients im OpenSSH-Format auf einer Zeile "
        "(ssh-ed25519, oder ssh-rsa mit mindestens 2048 Bit).",
    ),
    "quit_question": (
        "Voulez-vous vraiment vous déconnecter ?",
        "Wilt u zich echt afmelden?",
        "Möchten Sie sich wirklich abmelden?",
    ),
    "delete_warning": (
        "Toute la configuration (personne de contact, canaux, utilisateur technique et client "
        "OAuth) sera supprimée. Le numéro d'expéditeur ne sera plus jamais utilisé. "
        "Confirmez-vous la suppression ?",
        "De hele configuratie (contactpersoon, kanalen, technische gebruiker en OAuth-client) "
        "wordt verwijderd. Het verzendernummer wordt nooit meer gebruikt. "
        "Bevestigt u de stopzetting?",
        "Die gesamte Konfiguration (Kontaktperson, Kanäle, technischer Benutzer und "
        "OAuth-Client) wird gelöscht. Die Absendernummer wird nie wieder vergeben. "
        "Bestätigen Sie die Einstellung?",
    ),
    "channel_configured": ("configuré", "geconfigureerd", "konfiguriert"),
    "channel_not_configured": ("non configuré", "niet geconfigureerd", "nicht konfiguriert"),
    "channel_add_intro": (
        "Ce canal n'est pas encore configuré. Complétez ses données pour l'ajouter.",
        "Dit kanaal is nog niet geconfigureerd. Vul de gegevens in om het toe te voegen.",
        "Dieser Kanal ist noch nicht konfiguriert. Ergänzen Sie seine Daten, um ihn hinzuzufügen.",
    ),
    # -- the variant skin's own words (skins.py) -------------------------------------------
    "choose": ("Choisir…", "Kiezen…", "Auswählen…"),  # a select's placeholder option (§3)
    "channel_confirm_intro": (
        "Vérifiez les données du canal, puis confirmez pour l'ajouter.",
        "Controleer de gegevens van het kanaal en bevestig om het toe te voegen.",
        "Prüfen Sie die Daten des Kanals und bestätigen Sie, um ihn hinzuzufügen.",
    ),
    # -- field errors (CONTACT-8: each names the field by its label) ----------------------
    "required": (
        "Le champ « {label} » est obligatoire.",
        "Het veld '{label}' is verplicht.",
        "Das Feld „{label}“ ist ein Pflichtfeld.",
    ),
    "too_long": (
        "Le champ « {label} » compte plus de {max} caractères.",
        "Het veld '{label}' telt meer dan {max} tekens.",
        "Das Feld „{label}“ hat mehr als {max} Zeichen.",
    ),
    "characters_forbidden": (
        "Le champ « {label} » contient un caractère non permis (caractère de contrôle ou de direction invisible).",
        "Het veld '{label}' bevat een niet-toegestaan teken (stuurteken of onzichtbaar richtingsteken).",
        "Das Feld „{label}“ enthält ein unzulässiges Zeichen (Steuerzeichen oder unsichtbares Richtungszeichen).",
    ),
    "invalid_choice": (
        "Choisissez une valeur de la liste pour « {label} ».",
        "Kies een waarde uit de lijst voor '{label}'.",
        "Wählen Sie einen Wert aus der Liste für „{label}“.",
    ),
    "phone_characters": (
        "Le champ « {label} » ne peut contenir que des chiffres, des espaces et + . / - ( ).",
        "Het veld '{label}' mag enkel cijfers, spaties en + . / - ( ) bevatten.",
        "Das Feld „{label}“ darf nur Ziffern, Leerzeichen und + . / - ( ) enthalten.",
    ),
    "phone_digits": (
        "Le champ « {label} » doit compter de {min} à {max} chiffres.",
        "Het veld '{label}' moet {min} tot {max} cijfers tellen.",
        "Das Feld „{label}“ muss {min} bis {max} Ziffern enthalten.",
    ),
    "email_none": (
        "Indiquez au moins une adresse dans « {label} ».",
        "Vul minstens één adres in bij '{label}'.",
        "Geben Sie mindestens eine Adresse unter „{label}“ an.",
    ),
    "email_invalid": (
        "« {label} » n'est pas une adresse e-mail valable.",
        "'{label}' is geen geldig e-mailadres.",
        "„{label}“ ist keine gültige E-Mail-Adresse.",
    ),
    "email_too_long": (
        "« {label} » compte plus de {max} caractères.",
        "'{label}' telt meer dan {max} tekens.",
        "„{label}“ hat mehr als {max} Zeichen.",
    ),
    "email_duplicate": (
        "« {label} » répète une adresse déjà indiquée.",
        "'{label}' herhaalt een adres dat al ingevuld is.",
        "„{label}“ wiederholt eine bereits angegebene Adresse.",
    ),
    "channel_required": (
        "Choisissez un canal dans « {label} ».",
        "Kies een kanaal bij '{label}'.",
        "Wählen Sie einen Kanal unter „{label}“.",
    ),
    "certificate_required": (
        "« {label} » : chargez le certificat du canal.",
        "'{label}': laad het certificaat van het kanaal op.",
        "„{label}“: Laden Sie das Zertifikat des Kanals hoch.",
    ),
    "applications_required": (
        "Sélectionnez au moins une application dans « {label} ».",
        "Selecteer minstens één toepassing bij '{label}'.",
        "Wählen Sie mindestens eine Anwendung unter „{label}“.",
    ),
    "ssh_required": (
        "Le canal SFTP demande une « {label} ».",
        "Het kanaal SFTP vraagt een '{label}'.",
        "Der Kanal SFTP verlangt einen „{label}“.",
    ),
    "ssh_invalid": (
        "« {label} » : ce n'est pas une clé publique OpenSSH sur une ligne.",
        "'{label}': dit is geen publieke OpenSSH-sleutel op één regel.",
        "„{label}“: Das ist kein öffentlicher OpenSSH-Schlüssel auf einer Zeile.",
    ),
    "ssh_weak": (
        "« {label} » : seules les clés ssh-ed25519 et ssh-rsa d'au moins 2048 bits sont acceptées.",
        "'{label}': enkel ssh-ed25519-sleutels en ssh-rsa-sleutels van minstens 2048 bits worden aanvaard.",
        "„{label}“: Nur ssh-ed25519-Schlüssel und ssh-rsa-Schlüssel mit mindestens 2048 Bit werden akzeptiert.",
    ),
    # -- certificate errors (CERT-1..7), all on the upload field -------------------------------
    "cert_empty": (
        "« {label} » : le fichier est vide.",
        "'{label}': het bestand is leeg.",
        "„{label}“: Die Datei ist leer.",
    ),
    "cert_too_large": (
        "« {label} » : le fichier dépasse 64 Ko ; un certificat est bien plus petit.",
        "'{label}': het bestand is groter dan 64 KB; een certificaat is veel kleiner.",
        "„{label}“: Die Datei ist größer als 64 KB; ein Zertifikat ist viel kleiner.",
    ),
    "cert_not_certificate": (
        "« {label} » : le fichier n'est pas un certificat X.509 (DER ou PEM).",
        "'{label}': het bestand is geen X.509-certificaat (DER of PEM).",
        "„{label}“: Die Datei ist kein X.509-Zertifikat (DER oder PEM).",
    ),
    "cert_several": (
        "« {label} » : le fichier contient plusieurs certificats ; chargez-en un seul.",
        "'{label}': het bestand bevat meerdere certificaten; laad er slechts één op.",
        "„{label}“: Die Datei enthält mehrere Zertifikate; laden Sie nur eines hoch.",
    ),
    "cert_private_key": (
        f"« {{label}} » : ce fichier contient une {_KEY['fr']}. Ne chargez jamais une "
        f"{_KEY['fr']} : elle doit rester chez vous. Chargez uniquement le certificat (clé "
        "publique, .cer). Le fichier n'a pas été conservé.",
        f"'{{label}}': dit bestand bevat een {_KEY['nl']}. Laad nooit een {_KEY['nl']} op: "
        "die blijft bij u. Laad enkel het certificaat op (publieke sleutel, .cer). "
        "Het bestand werd niet bewaard.",
        f"„{{label}}“: Diese Datei enthält einen {_KEY['de']}. Laden Sie niemals einen "
        f"{_KEY['de']} hoch: Er bleibt bei Ihnen. Laden Sie nur das Zertifikat hoch "
        "(öffentlicher Schlüssel, .cer). Die Datei wurde nicht gespeichert.",
    ),
    "cert_dates_unreadable": (
        "« {label} » : les dates de validité du certificat ne peuvent pas être lues "
        "(une année hors calendrier, comme l'an 0).",
        "'{label}': de geldigheidsdata van het certificaat kunnen niet gelezen worden "
        "(een jaar buiten de kalender, zoals het jaar 0).",
        "„{label}“: Die Gültigkeitsdaten des Zertifikats können nicht gelesen werden "
        "(ein Jahr außerhalb des Kalenders, etwa das Jahr 0).",
    ),
    "cert_serial": (
        "« {label} » : le numéro de série du certificat est négatif, ce que RFC 5280 interdit.",
        "'{label}': het serienummer van het certificaat is negatief, wat RFC 5280 verbiedt.",
        "„{label}“: Die Seriennummer des Zertifikats ist negativ, was RFC 5280 verbietet.",
    ),
    "cert_expired": (
        "« {label} » : le certificat est expiré.",
        "'{label}': het certificaat is vervallen.",
        "„{label}“: Das Zertifikat ist abgelaufen.",
    ),
    "cert_not_yet_valid": (
        "« {label} » : le certificat n'est pas encore valable.",
        "'{label}': het certificaat is nog niet geldig.",
        "„{label}“: Das Zertifikat ist noch nicht gültig.",
    ),
    "cert_key_type": (
        "« {label} » : la clé du certificat doit être une clé RSA.",
        "'{label}': de sleutel van het certificaat moet een RSA-sleutel zijn.",
        "„{label}“: Der Schlüssel des Zertifikats muss ein RSA-Schlüssel sein.",
    ),
    "cert_key_size": (
        "« {label} » : la clé RSA du certificat doit compter au moins 2048 bits.",
        "'{label}': de RSA-sleutel van het certificaat moet minstens 2048 bits tellen.",
        "„{label}“: Der RSA-Schlüssel des Zertifikats muss mindestens 2048 Bit haben.",
    ),
    "cert_weak_signature": (
        "« {label} » : le certificat est signé avec MD5 ou SHA-1, qui ne sont plus acceptés.",
        "'{label}': het certificaat is ondertekend met MD5 of SHA-1, die niet meer aanvaard worden.",
        "„{label}“: Das Zertifikat ist mit MD5 oder SHA-1 signiert, die nicht mehr akzeptiert werden.",
    ),
    "cert_untrusted": (
        "« {label} » : le certificat n'est émis ni par une autorité reconnue ni par votre "
        "entreprise elle-même (auto-signé au nom de l'entreprise).",
        "'{label}': het certificaat is niet uitgegeven door een erkende autoriteit, noch door uw "
        "onderneming zelf (zelfondertekend op naam van de onderneming).",
        "„{label}“: Das Zertifikat wurde weder von einer anerkannten Stelle noch von Ihrem "
        "Unternehmen selbst (selbstsigniert auf den Namen des Unternehmens) ausgestellt.",
    ),
    "cert_in_use": (
        "« {label} » : ce certificat est déjà enregistré pour un autre expéditeur.",
        "'{label}': dit certificaat is al geregistreerd voor een andere verzender.",
        "„{label}“: Dieses Zertifikat ist bereits für einen anderen Absender registriert.",
    ),
    # -- access refused and error pages ---------------------------------------------------------
    "access_refused_text": (
        "Seuls le gestionnaire local et le co-gestionnaire local de la qualité ont accès à cette page.",
        "Enkel de lokale beheerder en de lokale medebeheerder van de hoedanigheid hebben toegang tot deze pagina.",
        "Nur der lokale Verwalter und der lokale Mitverwalter der Eigenschaft haben Zugriff auf diese Seite.",
    ),
    "error_400": ("Requête incorrecte", "Ongeldige aanvraag", "Ungültige Anfrage"),
    "error_400_text": (
        "Le formulaire envoyé n'a pas pu être lu. Recommencez depuis la page précédente.",
        "Het verzonden formulier kon niet gelezen worden. Begin opnieuw vanaf de vorige pagina.",
        "Das gesendete Formular konnte nicht gelesen werden. Beginnen Sie erneut auf der vorigen Seite.",
    ),
    "error_403": ("Formulaire expiré", "Formulier verlopen", "Formular abgelaufen"),
    "error_403_text": (
        "Ce formulaire n'est plus valable (jeton de sécurité absent ou incorrect). Rechargez la page et recommencez.",
        "Dit formulier is niet meer geldig (veiligheidstoken ontbreekt of is onjuist). "
        "Laad de pagina opnieuw en begin opnieuw.",
        "Dieses Formular ist nicht mehr gültig (Sicherheitstoken fehlt oder ist falsch). "
        "Laden Sie die Seite neu und beginnen Sie erneut.",
    ),
    "error_404": ("Page introuvable", "Pagina niet gevonden", "Seite nicht gefunden"),
    "error_404_text": (
        "Cette adresse n'existe pas sur le portail.",
        "Dit adres bestaat niet op het portaal.",
        "Diese Adresse existiert im Portal nicht.",
    ),
    "error_405": ("Méthode non autorisée", "Methode niet toegestaan", "Methode nicht erlaubt"),
    "error_405_text": (
        "Cette adresse n'accepte pas ce type de requête.",
        "Dit adres aanvaardt dit soort aanvraag niet.",
        "Diese Adresse akzeptiert diese Art von Anfrage nicht.",
    ),
    "error_408": ("Délai dépassé", "Tijd verstreken", "Zeit überschritten"),
    "error_408_text": (
        "La requête n'est pas arrivée à temps.",
        "De aanvraag kwam niet op tijd aan.",
        "Die Anfrage ist nicht rechtzeitig eingetroffen.",
    ),
    "error_411": ("Longueur requise", "Lengte vereist", "Länge erforderlich"),
    "error_411_text": (
        "La requête doit indiquer sa longueur.",
        "De aanvraag moet haar lengte vermelden.",
        "Die Anfrage muss ihre Länge angeben.",
    ),
    "error_413": ("Envoi trop volumineux", "Verzending te groot", "Sendung zu groß"),
    "error_413_text": (
        "L'envoi dépasse la taille permise (2 Mo). Un certificat fait quelques Ko.",
        "De verzending is groter dan toegestaan (2 MB). Een certificaat is enkele KB groot.",
        "Die Sendung ist größer als erlaubt (2 MB). Ein Zertifikat ist einige KB groß.",
    ),
    "error_415": ("Type de contenu non accepté", "Inhoudstype niet aanvaard", "Inhaltstyp nicht akzeptiert"),
    "error_415_text": (
        "Cette adresse n'accepte que des formulaires.",
        "Dit adres aanvaardt enkel formulieren.",
        "Diese Adresse akzeptiert nur Formulare.",
    ),
    "error_500": ("Erreur du portail", "Fout van het portaal", "Fehler des Portals"),
    "error_500_text": (
        "Une erreur inattendue s'est produite. Réessayez plus tard.",
        "Er is een onverwachte fout opgetreden. Probeer later opnieuw.",
        "Ein unerwarteter Fehler ist aufgetreten. Versuchen Sie es später erneut.",
    ),
    "error_generic": ("Erreur", "Fout", "Fehler"),
    "error_generic_text": (
        "La requête n'a pas pu être traitée.",
        "De aanvraag kon niet verwerkt worden.",
        "Die Anfrage konnte nicht verarbeitet werden.",
    ),
    # -- inert links of the seed ------------------------------------------------------------------
    "not_in_mock": (
        "Cette fonction du portail ne fait pas partie de ce portail de test.",
        "Deze functie van het portaal maakt geen deel uit van dit testportaal.",
        "Diese Funktion des Portals ist nicht Teil dieses Testportals.",
    ),
    "more_users": ("Utilisateurs", "Gebruikers", "Benutzer"),
    "more_quality": (
        "Consulter ou modifier le détail de la qualité",
        "De details van de hoedanigheid raadplegen of wijzigen",
        "Details der Eigenschaft einsehen oder ändern",
    ),
    "more_search": ("Rechercher utilisateurs", "Gebruikers zoeken", "Benutzer suchen"),
    "more_personal": (
        "Modifier mes données personnelles",
        "Mijn persoonlijke gegevens wijzigen",
        "Meine persönlichen Daten ändern",
    ),
    "more_password": ("Modifier mon mot de passe", "Mijn wachtwoord wijzigen", "Mein Passwort ändern"),
    "more_certificate": (
        "Gestion du certificat à utiliser sur le portail de la Sécurité Sociale",
        "Beheer van het certificaat voor het portaal van de Sociale Zekerheid",
        "Verwaltung des Zertifikats für das Portal der Sozialen Sicherheit",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {
    key: dict(zip(LANGUAGES, values, strict=True)) for key, values in _MESSAGES.items()
}
