"""CSV files as real spreadsheets and address books export them, for the import tests."""

from __future__ import annotations

PEOPLE = [
    ("Favre", "Léa", "lea.favre@example.ch", "Atelier Favre", "Genève"),
    ("Müller", "Jürg", "juerg.mueller@example.ch", "Müller AG", "Zürich"),
    ("Rossi", "Giulia", "giulia.rossi@example.ch", "", "Lugano"),
]


def excel_fr() -> bytes:
    """Excel (French Windows) 'CSV (séparateur: point-virgule)': Windows-1252, semicolons, CRLF."""
    lines = ["Nom;Prénom;Adresse e-mail;Société;Ville"]
    lines += [";".join(p) for p in PEOPLE]
    return ("\r\n".join(lines) + "\r\n").encode("windows-1252")


def excel_de() -> bytes:
    """Excel (German Windows): Windows-1252, semicolons, 'Name' beside 'Vorname' is the surname."""
    lines = ["Name;Vorname;E-Mail-Adresse;Firma;Ort"]
    lines += [";".join(p) for p in PEOPLE]
    return ("\r\n".join(lines) + "\r\n").encode("windows-1252")


def outlook() -> bytes:
    """Outlook 'Comma Separated Values': UTF-8, quoted, many mostly empty columns."""
    header = ["First Name", "Middle Name", "Last Name", "Title", "Suffix", "Nickname", "Given Yomi",
              "Surname Yomi", "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "Home Phone",
              "Business Phone", "Company", "Notes"]
    rows = []
    for last, first, email, company, _city in PEOPLE:
        cells = [first, "", last, "", "", "", "", "", email, "", "", "", "+41 21 000 00 00", company,
                 "met at the gala, 2025"]
        rows.append(",".join(f'"{c}"' for c in cells))
    return ("\r\n".join([",".join(f'"{h}"' for h in header), *rows]) + "\r\n").encode("utf-8")


def google() -> bytes:
    """Google Contacts 'Google CSV' (legacy): UTF-8, 'Given Name', 'Family Name', 'E-mail 1 - Value'."""
    header = "Name,Given Name,Additional Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value"
    rows = [f"{first} {last},{first},,{last},* myContacts,* Home,{email}" for last, first, email, _c, _v in PEOPLE]
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def utf8_bom_comma() -> bytes:
    lines = ["email,first name,last name"] + [f"{e},{f},{la}" for la, f, e, _c, _v in PEOPLE]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def utf16_tab() -> bytes:
    """Excel 'Unicode Text': UTF-16 with BOM, tab separated."""
    lines = ["Email\tFirst Name\tLast Name"] + [f"{e}\t{f}\t{la}" for la, f, e, _c, _v in PEOPLE]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


# Guest lists as Excel on Czech, Polish, Spanish and Italian Windows writes them ("CSV (oddělený středníkem)").
CZECH = """Příjmení;Jméno;E-mail;Město;Poznámka
Novák;Jiří;jiri.novak@example.cz;Brno;Přijde s doprovodem
Dvořák;Šárka;sarka.dvorakova@example.cz;Plzeň;Prosím místo u uličky
Černý;Žofie;zofie.cerna@example.cz;Ústí nad Labem;
Procházková;Věra;vera@example.cz;České Budějovice;Vegetariánské menu
Kučera;Tomáš;tomas.kucera@example.cz;Olomouc;
Veselý;Lukáš;lukas.vesely@example.cz;Hradec Králové;Přijede později
"""
POLISH = """Nazwisko;Imię;E-mail;Miasto;Uwagi
Wiśniewski;Łukasz;lukasz@example.pl;Łódź;Przyjdzie z osobą towarzyszącą
Zając;Grzegorz;grzegorz@example.pl;Kraków;
Kowalczyk;Małgorzata;malgorzata@example.pl;Wrocław;Proszę o miejsce przy przejściu
Wójcik;Żaneta;zaneta@example.pl;Gdańsk;Menu wegetariańskie
"""
SPANISH = """Apellido;Nombre;Correo;Ciudad
García;Íñigo;inigo@example.es;Logroño
Peña;Ángela;angela@example.es;Cádiz
Muñoz;José;jose@example.es;León
"""
ITALIAN = """Cognome;Nome;Email;Città
Rossi;Niccolò;niccolo@example.it;Forlì
Bianchi;Lucía;lucia@example.it;Cantù
Esposito;Mattia;mattia@example.it;Pescara
"""
RUSSIAN = """Фамилия;Имя;Email
Иванов;Олег;oleg@example.ru
Петрова;Анна;anna@example.ru
"""
MIXED_SWISS = """Nom;Prénom;E-mail;Ville
Ångström;Øyvind;oyvind@example.ch;Zürich
Dubois;Françoise;francoise@example.ch;Genève
Bianchi;Niccolò;niccolo@example.ch;Lugano
Van der Berg;Zoë;zoe@example.ch;Brügg
Peña;Íñigo;inigo@example.ch;Neuchâtel
"""
