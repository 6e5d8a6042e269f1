//! ISO 3166-1 alpha-2 country codes (officially assigned), for checking country fields.

const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER \
ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM \
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF \
MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK \
PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD \
TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    // CODES is sorted with 3 bytes per entry ("AD " …): binary search without allocating.
    let b = code.as_bytes();
    if b.len() != 2 {
        return false;
    }
    let table = CODES.as_bytes();
    let (mut lo, mut hi) = (0, table.len().div_ceil(3));
    while lo < hi {
        let mid = (lo + hi) / 2;
        match table[mid * 3..mid * 3 + 2].cmp(b) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_complete_and_sorted() {
        let codes: Vec<&str> = super::CODES.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        for c in ["KZ", "UZ", "KG", "UA", "MY", "TR", "RU", "TJ"] {
            assert!(super::is_country(c));
        }
        assert!(!super::is_country("XX") && !super::is_country("kz"));
    }
}
