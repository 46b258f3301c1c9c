"""Stable ids and names of the admin-1 units whoholds knows: ISO 3166-2 code, English and local name.

This is reference knowledge (the ISO 3166-2 list, the GeoNames ADM1 ids, the official names), not a copy of
any data file: a regions file gives the polygons, this table gives every unit the same id and names whichever
file drew it. A unit of a file that is not in the table keeps the file's own id and name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitName:
    iso: str  # ISO 3166-2 code (or a whoholds id where ISO has none)
    name: str  # English, current official transliteration
    local: str  # local form (Ukrainian, Arabic)
    kind: str  # oblast, city, republic, governorate, zone
    geonames_id: int = 0  # GeoNames ADM1 geonameid (Natural Earth's gn_id)
    admin1: str = ""  # GeoNames admin1 code of the country
    aliases: tuple[str, ...] = ()


_UA = [
    ("UA-71", "Cherkasy Oblast", "Черкаська область", "oblast", 710802, "01", ("Cherkasy", "Cherkassy")),
    ("UA-74", "Chernihiv Oblast", "Чернігівська область", "oblast", 710734, "02", ("Chernihiv", "Chernigov")),
    ("UA-77", "Chernivtsi Oblast", "Чернівецька область", "oblast", 710720, "03", ("Chernivtsi", "Chernovtsy")),
    ("UA-12", "Dnipropetrovsk Oblast", "Дніпропетровська область", "oblast", 709929, "04",
     ("Dnipropetrovsk", "Dnipro", "Dnepropetrovsk", "Dnipropetrovs'k")),
    ("UA-14", "Donetsk Oblast", "Донецька область", "oblast", 709716, "05", ("Donetsk", "Donets'k")),
    ("UA-26", "Ivano-Frankivsk Oblast", "Івано-Франківська область", "oblast", 707470, "06",
     ("Ivano-Frankivsk", "Ivano-Frankovsk")),
    ("UA-63", "Kharkiv Oblast", "Харківська область", "oblast", 706482, "07", ("Kharkiv", "Kharkov")),
    ("UA-65", "Kherson Oblast", "Херсонська область", "oblast", 706442, "08", ("Kherson",)),
    ("UA-68", "Khmelnytskyi Oblast", "Хмельницька область", "oblast", 706370, "09",
     ("Khmelnytskyi", "Khmelnytsky", "Khmelnitsky", "Khmel'nyts'kyy")),
    ("UA-35", "Kirovohrad Oblast", "Кіровоградська область", "oblast", 705811, "10",
     ("Kirovohrad", "Kirovograd", "Kropyvnytskyi")),
    ("UA-43", "Autonomous Republic of Crimea", "Автономна Республіка Крим", "republic", 703883, "11",
     ("Crimea", "Krym", "Republic of Crimea", "Крим")),
    ("UA-30", "Kyiv", "Київ", "city", 703447, "12", ("Kyiv city", "Kiev city", "city of Kyiv", "Kiev")),
    ("UA-32", "Kyiv Oblast", "Київська область", "oblast", 703446, "13", ("Kyiv", "Kiev")),
    ("UA-09", "Luhansk Oblast", "Луганська область", "oblast", 702657, "14", ("Luhansk", "Lugansk", "Luhans'k")),
    ("UA-46", "Lviv Oblast", "Львівська область", "oblast", 702549, "15", ("Lviv", "Lvov", "L'viv")),
    ("UA-48", "Mykolaiv Oblast", "Миколаївська область", "oblast", 700567, "16",
     ("Mykolaiv", "Mykolayiv", "Nikolaev", "Nikolayev")),
    ("UA-51", "Odesa Oblast", "Одеська область", "oblast", 698738, "17", ("Odesa", "Odessa")),
    ("UA-53", "Poltava Oblast", "Полтавська область", "oblast", 696634, "18", ("Poltava",)),
    ("UA-56", "Rivne Oblast", "Рівненська область", "oblast", 695592, "19", ("Rivne", "Rovno")),
    ("UA-40", "Sevastopol", "Севастополь", "city", 694422, "20", ("Sevastopol city", "Sebastopol")),
    ("UA-59", "Sumy Oblast", "Сумська область", "oblast", 692196, "21", ("Sumy",)),
    ("UA-61", "Ternopil Oblast", "Тернопільська область", "oblast", 691649, "22", ("Ternopil", "Ternopol")),
    ("UA-05", "Vinnytsia Oblast", "Вінницька область", "oblast", 689559, "23",
     ("Vinnytsia", "Vinnytsya", "Vinnitsa")),
    ("UA-07", "Volyn Oblast", "Волинська область", "oblast", 689064, "24", ("Volyn", "Volhynia")),
    ("UA-21", "Zakarpattia Oblast", "Закарпатська область", "oblast", 687869, "25",
     ("Zakarpattia", "Transcarpathia", "Transcarpathian")),
    ("UA-23", "Zaporizhzhia Oblast", "Запорізька область", "oblast", 687699, "26",
     ("Zaporizhzhia", "Zaporizhia", "Zaporizhzhya", "Zaporozhye")),
    ("UA-18", "Zhytomyr Oblast", "Житомирська область", "oblast", 686966, "27", ("Zhytomyr", "Zhitomir")),
]
_SY = [
    ("SY-DI", "Damascus Governorate", "دمشق", "city", 167541, "", ("Damascus", "Dimashq")),
    ("SY-RD", "Rif Dimashq Governorate", "ريف دمشق", "governorate", 170652, "",
     ("Rif Dimashq", "Rif Dimashq", "Rural Damascus", "Damascus countryside")),
    ("SY-HL", "Aleppo Governorate", "حلب", "governorate", 170062, "", ("Aleppo", "Halab")),
    ("SY-HM", "Hama Governorate", "حماة", "governorate", 170015, "", ("Hama", "Hamah")),
    ("SY-HI", "Homs Governorate", "حمص", "governorate", 169575, "", ("Homs", "Hims")),
    ("SY-ID", "Idlib Governorate", "إدلب", "governorate", 169387, "", ("Idlib", "Idleb")),
    ("SY-LA", "Latakia Governorate", "اللاذقية", "governorate", 173578, "", ("Latakia", "Lattakia")),
    ("SY-TA", "Tartus Governorate", "طرطوس", "governorate", 163342, "", ("Tartus", "Tartous")),
    ("SY-RA", "Raqqa Governorate", "الرقة", "governorate", 172957, "", ("Raqqa", "Ar Raqqah", "Rakka")),
    ("SY-DY", "Deir ez-Zor Governorate", "دير الزور", "governorate", 170792, "",
     ("Deir ez-Zor", "Deir ez Zor", "Deir al-Zour", "Dayr az Zawr")),
    ("SY-HA", "Al-Hasakah Governorate", "الحسكة", "governorate", 173813, "",
     ("Hasakah", "Al-Hasakah", "Hasaka", "Al Hasakah")),
    ("SY-SU", "As-Suwayda Governorate", "السويداء", "governorate", 172410, "",
     ("Suwayda", "As-Suwayda", "Sweida", "Suwaida")),
    ("SY-DR", "Daraa Governorate", "درعا", "governorate", 170903, "", ("Daraa", "Dara'a", "Deraa")),
    ("SY-QU", "Quneitra Governorate", "القنيطرة", "governorate", 173336, "", ("Quneitra", "Al Qunaytirah")),
]
UNITS: dict[str, UnitName] = {
    row[0]: UnitName(*row) for row in (*_UA, *_SY)  # type: ignore[arg-type]
}
BY_GEONAMES_ID: dict[int, UnitName] = {u.geonames_id: u for u in UNITS.values() if u.geonames_id}
#: UNDOF's disengagement zone on the Golan: a unit of Natural Earth's Syria with no ISO code.
UNDOF = UnitName("SY-UNDOF", "UNDOF zone", "منطقة فض الاشتباك", "zone", 0, "",
                 ("UNDOF", "Golan buffer zone", "UN buffer zone"))


def by_admin1(country_iso2: str, code: str) -> UnitName | None:
    """The unit of a GeoNames admin1 code (e.g. UA, "05" → Donetsk Oblast)."""
    for u in UNITS.values():
        if u.iso.startswith(country_iso2.upper() + "-") and u.admin1 and u.admin1 == code:
            return u
    return None
