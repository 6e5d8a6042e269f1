//! The synthetic network: organisations and centres in the six countries, with the country mix
//! and the stay lengths each country offers.

use ona_core::schema::{Centre, OperatorType, Organisation};

/// A country of the synthetic network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryProfile {
    /// ISO 3166-1 alpha-2 code.
    pub code: &'static str,
    /// Share of the network's cases, in per mille.
    pub weight: u32,
    /// Shortest and longest stay in days.
    pub stay_days: (u32, u32),
    /// The organisation running the country's centres.
    pub organisation: (&'static str, &'static str),
    /// Centres: (id, admin1, settlement, capacity).
    pub centres: &'static [(&'static str, &'static str, &'static str, u32)],
}

/// The six countries: Kazakhstan since 2013, Uzbekistan (stays up to 6 months), Kyrgyzstan
/// (3–12 months), Ukraine, Malaysia and Türkiye.
pub const COUNTRIES: &[CountryProfile] = &[
    CountryProfile {
        code: "KZ",
        weight: 400,
        stay_days: (30, 270),
        organisation: ("ana-uyi", "Ana Uyi"),
        centres: &[
            ("kz-almaty-01", "KZ-75", "Алматы", 40),
            ("kz-almaty-02", "KZ-75", "Алматы", 25),
            ("kz-astana-01", "KZ-71", "Астана", 35),
            ("kz-shymkent-01", "KZ-79", "Шымкент", 30),
            ("kz-karaganda-01", "KZ-35", "Караганда", 20),
            ("kz-aktobe-01", "KZ-15", "Актобе", 20),
            ("kz-pavlodar-01", "KZ-55", "Павлодар", 15),
            ("kz-taraz-01", "KZ-31", "Тараз", 15),
            ("kz-oskemen-01", "KZ-63", "Усть-Каменогорск", 15),
        ],
    },
    CountryProfile {
        code: "UZ",
        weight: 200,
        stay_days: (30, 180),
        organisation: ("ona-uyi", "Ona Uyi"),
        centres: &[
            ("uz-tashkent-01", "UZ-TK", "Toshkent", 30),
            ("uz-tashkent-02", "UZ-TK", "Toshkent", 20),
            ("uz-samarkand-01", "UZ-SA", "Samarqand", 20),
            ("uz-fergana-01", "UZ-FA", "Fargʻona", 15),
            ("uz-bukhara-01", "UZ-BU", "Buxoro", 15),
            ("uz-namangan-01", "UZ-NG", "Namangan", 15),
            ("uz-andijan-01", "UZ-AN", "Andijon", 15),
        ],
    },
    CountryProfile {
        code: "KG",
        weight: 100,
        stay_days: (90, 365),
        organisation: ("ene-uyu", "Ene Uyu"),
        centres: &[
            ("kg-bishkek-01", "KG-GB", "Бишкек", 25),
            ("kg-osh-01", "KG-GO", "Ош", 15),
            ("kg-chuy-01", "KG-C", "Токмок", 10),
        ],
    },
    CountryProfile {
        code: "UA",
        weight: 150,
        stay_days: (30, 180),
        organisation: ("dim-materi", "Дім матері"),
        centres: &[
            ("ua-kyiv-01", "UA-30", "Київ", 30),
            ("ua-lviv-01", "UA-46", "Львів", 25),
            ("ua-dnipro-01", "UA-12", "Дніпро", 20),
            ("ua-odesa-01", "UA-51", "Одеса", 15),
        ],
    },
    CountryProfile {
        code: "MY",
        weight: 80,
        stay_days: (30, 120),
        organisation: ("rumah-ibu", "Rumah Ibu"),
        centres: &[
            ("my-kl-01", "MY-14", "Kuala Lumpur", 20),
            ("my-selangor-01", "MY-10", "Shah Alam", 15),
            ("my-johor-01", "MY-01", "Johor Bahru", 15),
        ],
    },
    CountryProfile {
        code: "TR",
        weight: 70,
        stay_days: (30, 180),
        organisation: ("anne-evi", "Anne Evi"),
        centres: &[
            ("tr-istanbul-01", "TR-34", "İstanbul", 30),
            ("tr-ankara-01", "TR-06", "Ankara", 20),
            ("tr-izmir-01", "TR-35", "İzmir", 15),
            ("tr-gaziantep-01", "TR-27", "Gaziantep", 15),
        ],
    },
];

/// The profile of a country of the network.
pub fn country(code: &str) -> Option<&'static CountryProfile> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// The centre record for centre `i` of `profile`.
pub fn centre(profile: &CountryProfile, i: usize) -> Centre {
    let (id, admin1, settlement, capacity) = profile.centres[i % profile.centres.len()];
    Centre {
        id: id.to_string(),
        organisation: Organisation {
            id: profile.organisation.0.to_string(),
            name: profile.organisation.1.to_string(),
        },
        country: profile.code.to_string(),
        admin1: admin1.to_string(),
        settlement: settlement.to_string(),
        operator_type: OperatorType::Ngo,
        capacity: Some(capacity),
        max_stay_days: Some(profile.stay_days.1),
    }
}

/// Every centre of the network.
pub fn centres() -> Vec<Centre> {
    COUNTRIES.iter().flat_map(|p| (0..p.centres.len()).map(move |i| centre(p, i))).collect()
}
