//! Name tables per country, in the local scripts, each name with the other spellings the same
//! person's name is found in elsewhere (passport Latin after ICAO Doc 9303, the other official
//! script of Uzbek, Turkish without diacritics), so the generator can write the same woman
//! differently when she comes back.

/// A name: its usual written form first, then other spellings of it.
pub type Forms = &'static [&'static str];

/// The name tables of one country.
#[derive(Debug)]
pub struct NameTable {
    /// Women's given names.
    pub given: &'static [Forms],
    /// Women's family names.
    pub family: &'static [Forms],
    /// Women's patronymics (empty where not used).
    pub patronymic: &'static [Forms],
    /// Girls' given names.
    pub girls: &'static [Forms],
    /// Boys' given names.
    pub boys: &'static [Forms],
    /// Street names for addresses.
    pub streets: &'static [&'static str],
}

/// Kazakhstan: Kazakh and Russian names in Cyrillic, passport Latin as the other form.
pub const KZ: NameTable = NameTable {
    given: &[
        &["Динара", "Dinara"],
        &["Айгерим", "Aigerim"],
        &["Гүлназ", "Gulnaz"],
        &["Әлия", "Aliya", "Alia"],
        &["Жанар", "Zhanar", "Janar"],
        &["Асель", "Assel", "Asel"],
        &["Меруерт", "Meruert"],
        &["Сәуле", "Saule"],
        &["Айнұр", "Ainur"],
        &["Назерке", "Nazerke"],
        &["Анна", "Anna"],
        &["Елена", "Elena", "Yelena"],
        &["Ольга", "Olga"],
        &["Наталья", "Natalia", "Natalya"],
    ],
    family: &[
        &["Сейтказина", "Seitkazina"],
        &["Нурланова", "Nurlanova"],
        &["Ахметова", "Akhmetova"],
        &["Жумабаева", "Zhumabaeva"],
        &["Қасымова", "Kasymova"],
        &["Омарова", "Omarova"],
        &["Тулегенова", "Tulegenova"],
        &["Ержанова", "Erzhanova", "Yerzhanova"],
        &["Иванова", "Ivanova"],
        &["Ким", "Kim"],
        &["Петренко", "Petrenko"],
    ],
    patronymic: &[
        &["Болатовна", "Bolatovna"],
        &["Серікқызы", "Serikkyzy"],
        &["Ержанқызы", "Erzhankyzy"],
        &["Александровна", "Aleksandrovna"],
        &["Маратовна", "Maratovna"],
    ],
    girls: &[
        &["Аружан", "Aruzhan"],
        &["Айлин", "Ailin"],
        &["Томирис", "Tomiris"],
        &["Мария", "Mariia"],
    ],
    boys: &[
        &["Алихан", "Alikhan"],
        &["Нұрислам", "Nurislam"],
        &["Ерасыл", "Erasyl"],
        &["Иван", "Ivan"],
    ],
    streets: &["ул. Абая", "пр. Назарбаева", "ул. Төле би", "мкр. Самал", "ул. Сейфуллина"],
};

/// Uzbekistan: Uzbek Latin names with their Uzbek Cyrillic spellings.
pub const UZ: NameTable = NameTable {
    given: &[
        &["Dilnoza", "Дилноза"],
        &["Gulnora", "Гулнора"],
        &["Nilufar", "Нилуфар"],
        &["Shahnoza", "Шаҳноза"],
        &["Madina", "Мадина"],
        &["Oʻgʻiloy", "Ўғилой"],
        &["Feruza", "Феруза"],
        &["Zarina", "Зарина"],
    ],
    family: &[
        &["Karimova", "Каримова"],
        &["Toshmatova", "Тошматова"],
        &["Yusupova", "Юсупова"],
        &["Rahimova", "Раҳимова"],
        &["Gʻaniyeva", "Ғаниева"],
        &["Xolmatova", "Холматова"],
        &["Oʻrinboyeva", "Ўринбоева"],
    ],
    patronymic: &[&["Akmalovna", "Акмаловна"], &["Baxtiyor qizi", "Бахтиёр қизи"]],
    girls: &[&["Sevara", "Севара"], &["Mohira", "Моҳира"], &["Soliha", "Солиҳа"]],
    boys: &[&["Jasur", "Жасур"], &["Sardor", "Сардор"], &["Bobur", "Бобур"]],
    streets: &[
        "Amir Temur koʻchasi",
        "Navoiy koʻchasi",
        "Mustaqillik koʻchasi",
        "Chilonzor mavzesi",
    ],
};

/// Kyrgyzstan: Kyrgyz and Russian names in Cyrillic, passport Latin as the other form.
pub const KG: NameTable = NameTable {
    given: &[
        &["Айжан", "Aizhan"],
        &["Бермет", "Bermet"],
        &["Нургүл", "Nurgul"],
        &["Чолпон", "Cholpon"],
        &["Гүлзат", "Gulzat"],
        &["Жылдыз", "Zhyldyz"],
    ],
    family: &[
        &["Асанова", "Asanova"],
        &["Токтогулова", "Toktogulova"],
        &["Жээнбекова", "Zheenbekova"],
        &["Осмонова", "Osmonova"],
        &["Абдыкадырова", "Abdykadyrova"],
    ],
    patronymic: &[&["Алмазбековна", "Almazbekovna"], &["Нурлановна", "Nurlanovna"]],
    girls: &[&["Айзада", "Aizada"], &["Нурай", "Nurai"]],
    boys: &[&["Адилет", "Adilet"], &["Нурсултан", "Nursultan"]],
    streets: &["ул. Чуй", "пр. Манаса", "ул. Токтогула", "мкр. Джал"],
};

/// Ukraine: Ukrainian names, passport Latin as the other form.
pub const UA: NameTable = NameTable {
    given: &[
        &["Оксана", "Oksana"],
        &["Ірина", "Iryna", "Irina"],
        &["Наталія", "Nataliia"],
        &["Юлія", "Yuliia", "Iuliia"],
        &["Катерина", "Kateryna"],
        &["Олена", "Olena"],
        &["Марія", "Mariia"],
    ],
    family: &[
        &["Шевченко", "Shevchenko"],
        &["Коваленко", "Kovalenko"],
        &["Бондаренко", "Bondarenko"],
        &["Ткаченко", "Tkachenko"],
        &["Кравчук", "Kravchuk"],
        &["Мельник", "Melnyk"],
        &["Олійник", "Oliinyk"],
    ],
    patronymic: &[
        &["Іванівна", "Ivanivna"],
        &["Петрівна", "Petrivna"],
        &["Олександрівна", "Oleksandrivna"],
    ],
    girls: &[&["Софія", "Sofiia"], &["Анна", "Anna"], &["Злата", "Zlata"]],
    boys: &[&["Максим", "Maksym"], &["Артем", "Artem"], &["Богдан", "Bohdan"]],
    streets: &["вул. Хрещатик", "вул. Шевченка", "просп. Перемоги", "вул. Франка"],
};

/// Malaysia: Malay names with bin/binti, Indian names with a/p, Chinese names.
pub const MY: NameTable = NameTable {
    given: &[
        &["Nur Aisyah binti Ahmad", "NUR AISYAH BT AHMAD"],
        &["Siti Nurhaliza binti Ismail", "Siti Nurhaliza Ismail"],
        &["Nurul Izzah binti Hassan", "Nurul Izzah bte Hassan"],
        &["Farah Hanim binti Abdullah", "Farah Hanim Abdullah"],
        &["Kavitha a/p Subramaniam", "Kavitha AP Subramaniam", "Kavitha Subramaniam"],
        &["Tan Mei Ling", "Mei Ling Tan"],
    ],
    family: &[],
    patronymic: &[],
    girls: &[&["Nur Iman binti Ahmad"], &["Aisyah binti Hassan"]],
    boys: &[&["Muhammad Adam bin Ismail"], &["Harith bin Abdullah"]],
    streets: &["Jalan Ampang", "Jalan Tun Razak", "Persiaran Kayangan", "Jalan Bukit Bintang"],
};

/// Türkiye: Turkish names with İ/ı and their ASCII spellings.
pub const TR: NameTable = NameTable {
    given: &[
        &["Ayşe", "Ayse"],
        &["Fatma"],
        &["Elif"],
        &["Zeynep"],
        &["İrem", "Irem"],
        &["Işıl", "Isil"],
        &["Gülşen", "Gulsen"],
        &["Hatice"],
    ],
    family: &[
        &["Yılmaz", "Yilmaz"],
        &["Kaya"],
        &["Demir"],
        &["Şahin", "Sahin"],
        &["Çelik", "Celik"],
        &["Yıldız", "Yildiz"],
        &["Öztürk", "Ozturk"],
        &["Kılıç", "Kilic"],
    ],
    patronymic: &[],
    girls: &[&["Defne"], &["Zehra"], &["Ecrin"]],
    boys: &[&["Yusuf"], &["Eymen"], &["Ömer", "Omer"]],
    streets: &["Atatürk Caddesi", "İstiklal Caddesi", "Cumhuriyet Mahallesi", "Gazi Bulvarı"],
};

/// The name table of a network country.
pub fn table(country: &str) -> &'static NameTable {
    match country {
        "KZ" => &KZ,
        "UZ" => &UZ,
        "KG" => &KG,
        "UA" => &UA,
        "MY" => &MY,
        _ => &TR,
    }
}
