//! The indicators of the network, defined once: id, kind, unit, numerator, denominator and a
//! definition in the seven codelist languages. `docs/reporting.md` gives the reference date that
//! places each one in a period.

use super::dimensions::Dimension;
use crate::schema::Lang;

/// An indicator of the network's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Indicator {
    /// Distinct women whose case opened in the period.
    WomenServed,
    /// Children (born or expected) in cases opened in the period.
    ChildrenServed,
    /// Stays that began in the period.
    Admissions,
    /// Stays that ended in the period.
    Exits,
    /// Children in cases that exited in the period with a recorded outcome.
    ExitChildren,
    /// Of those, children living with their mother at exit.
    WithMotherAtExit,
    /// Share of children with their mother at exit.
    ShareWithMotherAtExit,
    /// Mean length of stay of stays that ended in the period, in days.
    LengthOfStayMean,
    /// Median length of stay of stays that ended in the period, in days.
    LengthOfStayMedian,
    /// Children whose 6-month follow-up fell due in the period.
    FollowUp6Due,
    /// Of those, children found living with their mother.
    FollowUp6WithMother,
    /// Of those, children not reached (not reached, refused or lost).
    FollowUp6Lost,
    /// Share of children with their mother at the 6-month follow-up.
    ShareWithMother6,
    /// Children whose 12-month follow-up fell due in the period.
    FollowUp12Due,
    /// Of those, children found living with their mother.
    FollowUp12WithMother,
    /// Of those, children not reached.
    FollowUp12Lost,
    /// Share of children with their mother at the 12-month follow-up.
    ShareWithMother12,
    /// Exits of women who intended to give up the child at intake.
    IntentExits,
    /// Of those, exits with the child living with the mother.
    RelinquishmentPrevented,
    /// Share of relinquishment prevented.
    ShareRelinquishmentPrevented,
    /// Children in a baby home at intake, in cases that exited in the period.
    BabyHomeExits,
    /// Of those, children living with their mother at exit.
    Reunified,
    /// Share of baby-home children reunified with their mother.
    ShareReunified,
    /// Services implemented, by type, placed by start date.
    ServicesDelivered,
    /// Cases opened in the period, by referral source.
    Referrals,
    /// Cases opened in the period with at least one risk assessment.
    RiskAssessed,
    /// Of those, cases with the risk factor.
    RiskFactorCases,
    /// Prevalence of each risk factor among assessed cases.
    RiskPrevalence,
    /// Exits by where the child lives at exit.
    PlacementAtExit,
}

impl Indicator {
    /// Every indicator, in the order of [`DEFINITIONS`] (which is the order of the enum).
    pub const ALL: [Indicator; DEFINITIONS.len()] = {
        let mut all = [Indicator::WomenServed; DEFINITIONS.len()];
        let mut n = 0;
        while n < all.len() {
            all[n] = DEFINITIONS[n].indicator;
            n += 1;
        }
        all
    };
}

/// What kind of number an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count of units (women, children, stays, services, cases).
    Count,
    /// A percentage: numerator count / denominator count × 100.
    Share,
    /// The mean length of stay in days.
    Mean,
    /// The median length of stay in days.
    Median,
}

/// The unit of an indicator's values, as in SDMX `UNIT_MEASURE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count.
    Number,
    /// A percentage.
    Percent,
    /// Days.
    Days,
}

impl Unit {
    /// The SDMX code: `NUMBER`, `PERCENT`, `DAYS`.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Number => "NUMBER",
            Unit::Percent => "PERCENT",
            Unit::Days => "DAYS",
        }
    }
}

/// The definition of an indicator.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    /// The indicator.
    pub indicator: Indicator,
    /// Its stable id.
    pub id: &'static str,
    /// Kind of number.
    pub kind: Kind,
    /// Unit.
    pub unit: Unit,
    /// The numerator (for shares) or the count itself.
    pub numerator: &'static str,
    /// The denominator (shares and means), in English.
    pub denominator: Option<Indicator>,
    /// The numerator indicator of a share.
    pub numerator_of: Option<Indicator>,
    /// A dimension every cell of this indicator is broken down by.
    pub inherent: Option<Dimension>,
    /// Definition in en, ru, kk, uz, uk, ms, tr (the order of [`Lang::ALL`]).
    pub text: [&'static str; 7],
}

use Indicator as I;
use Kind as K;
use Unit as U;

macro_rules! def {
    ($i:expr, $id:literal, $k:expr, $u:expr, $num:literal, $den:expr, $numof:expr, $inh:expr, [$($t:literal),+ $(,)?]) => {
        Definition { indicator: $i, id: $id, kind: $k, unit: $u, numerator: $num, denominator: $den,
            numerator_of: $numof, inherent: $inh, text: [$($t),+] }
    };
}

/// Every indicator, in report order.
pub const DEFINITIONS: &[Definition] = &[
    def!(I::WomenServed, "women_served", K::Count, U::Number, "distinct women (mother pseudonym) with a case whose intake date is in the period", None, None, None, [
        "Women served: distinct women whose case opened (intake) in the period.",
        "Обслужено женщин: число разных женщин, чей случай открыт (приём) в периоде.",
        "Қызмет көрсетілген әйелдер: кезеңде ісі ашылған (қабылданған) әйелдер саны.",
        "Xizmat ko'rsatilgan ayollar: davrda ishi ochilgan (qabul qilingan) turli ayollar soni.",
        "Обслуговано жінок: кількість різних жінок, чий випадок відкрито (прийом) у періоді.",
        "Wanita dibantu: bilangan wanita berbeza yang kesnya dibuka (pengambilan) dalam tempoh.",
        "Hizmet verilen kadınlar: vakası dönem içinde açılan (kabul) farklı kadın sayısı."]),
    def!(I::ChildrenServed, "children_served", K::Count, U::Number, "children (born or expected) in cases whose intake date is in the period", None, None, None, [
        "Children served: children (born or expected) in cases opened in the period.",
        "Обслужено детей: дети (рождённые или ожидаемые) в случаях, открытых в периоде.",
        "Қызмет көрсетілген балалар: кезеңде ашылған істердегі балалар (туған немесе күтілетін).",
        "Xizmat ko'rsatilgan bolalar: davrda ochilgan ishlardagi bolalar (tug'ilgan yoki kutilayotgan).",
        "Обслуговано дітей: діти (народжені або очікувані) у випадках, відкритих у періоді.",
        "Kanak-kanak dibantu: kanak-kanak (lahir atau dijangka) dalam kes yang dibuka dalam tempoh.",
        "Hizmet verilen çocuklar: dönemde açılan vakalardaki çocuklar (doğmuş veya beklenen)."]),
    def!(I::Admissions, "admissions", K::Count, U::Number, "stays whose admission date is in the period", None, None, None, [
        "Admissions: stays that began in the period.",
        "Поступления: пребывания, начавшиеся в периоде.",
        "Қабылдау: кезеңде басталған тұру кезеңдері.",
        "Qabul qilinganlar: davrda boshlangan yashash muddatlari.",
        "Надходження: перебування, що почалися в періоді.",
        "Kemasukan: penginapan yang bermula dalam tempoh.",
        "Kabuller: dönem içinde başlayan kalışlar."]),
    def!(I::Exits, "exits", K::Count, U::Number, "stays whose discharge date is in the period", None, None, None, [
        "Exits: stays that ended in the period.",
        "Выбытия: пребывания, завершившиеся в периоде.",
        "Шығу: кезеңде аяқталған тұру кезеңдері.",
        "Chiqishlar: davrda tugagan yashash muddatlari.",
        "Вибуття: перебування, що завершилися в періоді.",
        "Keluar: penginapan yang berakhir dalam tempoh.",
        "Çıkışlar: dönem içinde sona eren kalışlar."]),
    def!(I::ExitChildren, "exit_children", K::Count, U::Number, "children in cases whose discharge date is in the period and whose outcome is recorded", None, None, None, [
        "Children at exit: children in cases that exited in the period with a recorded outcome.",
        "Дети при выбытии: дети в случаях, выбывших в периоде, с записанным исходом.",
        "Шығудағы балалар: кезеңде шыққан, нәтижесі жазылған істердегі балалар.",
        "Chiqishdagi bolalar: davrda chiqqan va natijasi yozilgan ishlardagi bolalar.",
        "Діти при вибутті: діти у випадках, що вибули в періоді, із записаним результатом.",
        "Kanak-kanak semasa keluar: kanak-kanak dalam kes yang keluar dalam tempoh dengan hasil direkod.",
        "Çıkıştaki çocuklar: dönemde çıkan ve sonucu kayıtlı vakalardaki çocuklar."]),
    def!(I::WithMotherAtExit, "with_mother_at_exit", K::Count, U::Number, "children at exit whose placement is with_mother or with_both_parents", None, None, None, [
        "Children with their mother at exit (living with the mother or both parents).",
        "Дети с матерью при выбытии (живут с матерью или обоими родителями).",
        "Шығу кезінде анасымен бірге балалар (анасымен немесе ата-анасымен тұрады).",
        "Chiqishda onasi bilan bolalar (onasi yoki ikkala ota-onasi bilan yashaydi).",
        "Діти з матір'ю при вибутті (живуть з матір'ю або обома батьками).",
        "Kanak-kanak bersama ibu semasa keluar (tinggal dengan ibu atau kedua ibu bapa).",
        "Çıkışta annesiyle kalan çocuklar (anneyle veya her iki ebeveynle yaşıyor)."]),
    def!(I::ShareWithMotherAtExit, "share_with_mother_at_exit", K::Share, U::Percent, "with_mother_at_exit", Some(I::ExitChildren), Some(I::WithMotherAtExit), None, [
        "Share of children with their mother at exit: with_mother_at_exit / exit_children × 100.",
        "Доля детей с матерью при выбытии: with_mother_at_exit / exit_children × 100.",
        "Шығу кезінде анасымен бірге балалар үлесі: with_mother_at_exit / exit_children × 100.",
        "Chiqishda onasi bilan bolalar ulushi: with_mother_at_exit / exit_children × 100.",
        "Частка дітей з матір'ю при вибутті: with_mother_at_exit / exit_children × 100.",
        "Peratus kanak-kanak bersama ibu semasa keluar: with_mother_at_exit / exit_children × 100.",
        "Çıkışta annesiyle kalan çocuk oranı: with_mother_at_exit / exit_children × 100."]),
    def!(I::LengthOfStayMean, "length_of_stay_mean", K::Mean, U::Days, "sum of length_days of stays whose discharge date is in the period", Some(I::Exits), None, None, [
        "Mean length of stay in days of stays that ended in the period.",
        "Средняя длительность пребывания (дней) для пребываний, завершившихся в периоде.",
        "Кезеңде аяқталған тұрудың орташа ұзақтығы (күн).",
        "Davrda tugagan yashashning o'rtacha davomiyligi (kun).",
        "Середня тривалість перебування (днів) для перебувань, що завершилися в періоді.",
        "Purata tempoh penginapan (hari) bagi penginapan yang berakhir dalam tempoh.",
        "Dönemde sona eren kalışların ortalama süresi (gün)."]),
    def!(I::LengthOfStayMedian, "length_of_stay_median", K::Median, U::Days, "median of length_days of stays whose discharge date is in the period (lower median)", Some(I::Exits), None, None, [
        "Median length of stay in days of stays that ended in the period.",
        "Медианная длительность пребывания (дней) для пребываний, завершившихся в периоде.",
        "Кезеңде аяқталған тұрудың медианалық ұзақтығы (күн).",
        "Davrda tugagan yashashning mediana davomiyligi (kun).",
        "Медіанна тривалість перебування (днів) для перебувань, що завершилися в періоді.",
        "Median tempoh penginapan (hari) bagi penginapan yang berakhir dalam tempoh.",
        "Dönemde sona eren kalışların medyan süresi (gün)."]),
    def!(I::FollowUp6Due, "followup_6m_due", K::Count, U::Number, "children in cases with a 6-month follow-up whose due date is in the period", None, None, None, [
        "Children due for the 6-month follow-up in the period.",
        "Дети, которым в периоде положено наблюдение через 6 месяцев.",
        "Кезеңде 6 айлық бақылау мерзімі келген балалар.",
        "Davrda 6 oylik kuzatuv muddati kelgan bolalar.",
        "Діти, яким у періоді належить спостереження через 6 місяців.",
        "Kanak-kanak yang perlu susulan 6 bulan dalam tempoh.",
        "Dönemde 6. ay izlemesi gelen çocuklar."]),
    def!(I::FollowUp6WithMother, "followup_6m_with_mother", K::Count, U::Number, "children due for the 6-month follow-up, reached, living with their mother", None, None, None, [
        "Children found living with their mother at the 6-month follow-up.",
        "Дети, живущие с матерью при наблюдении через 6 месяцев.",
        "6 айлық бақылауда анасымен тұратын балалар.",
        "6 oylik kuzatuvda onasi bilan yashayotgan bolalar.",
        "Діти, які живуть з матір'ю при спостереженні через 6 місяців.",
        "Kanak-kanak tinggal bersama ibu pada susulan 6 bulan.",
        "6. ay izlemesinde annesiyle yaşayan çocuklar."]),
    def!(I::FollowUp6Lost, "followup_6m_lost", K::Count, U::Number, "children due for the 6-month follow-up who were not reached (not_reached, refused, lost)", None, None, None, [
        "Children lost to the 6-month follow-up (not reached, refused or lost).",
        "Дети, выбывшие из наблюдения через 6 месяцев (не найдены, отказ, потеряны).",
        "6 айлық бақылаудан тыс қалған балалар (табылмады, бас тартты, жоғалды).",
        "6 oylik kuzatuvdan tushib qolgan bolalar (topilmadi, rad etdi, yo'qoldi).",
        "Діти, втрачені для спостереження через 6 місяців (не знайдені, відмова, втрачені).",
        "Kanak-kanak hilang susulan 6 bulan (tidak dihubungi, menolak, hilang).",
        "6. ay izlemesinde ulaşılamayan çocuklar (ulaşılamadı, reddetti, kayıp)."]),
    def!(I::ShareWithMother6, "share_with_mother_6m", K::Share, U::Percent, "followup_6m_with_mother", Some(I::FollowUp6Due), Some(I::FollowUp6WithMother), None, [
        "Share of children with their mother at 6 months: followup_6m_with_mother / followup_6m_due × 100 (lost counted in the denominator).",
        "Доля детей с матерью через 6 месяцев: followup_6m_with_mother / followup_6m_due × 100.",
        "6 айдан кейін анасымен бірге балалар үлесі: followup_6m_with_mother / followup_6m_due × 100.",
        "6 oydan keyin onasi bilan bolalar ulushi: followup_6m_with_mother / followup_6m_due × 100.",
        "Частка дітей з матір'ю через 6 місяців: followup_6m_with_mother / followup_6m_due × 100.",
        "Peratus kanak-kanak bersama ibu pada 6 bulan: followup_6m_with_mother / followup_6m_due × 100.",
        "6. ayda annesiyle kalan çocuk oranı: followup_6m_with_mother / followup_6m_due × 100."]),
    def!(I::FollowUp12Due, "followup_12m_due", K::Count, U::Number, "children in cases with a 12-month follow-up whose due date is in the period", None, None, None, [
        "Children due for the 12-month follow-up in the period.",
        "Дети, которым в периоде положено наблюдение через 12 месяцев.",
        "Кезеңде 12 айлық бақылау мерзімі келген балалар.",
        "Davrda 12 oylik kuzatuv muddati kelgan bolalar.",
        "Діти, яким у періоді належить спостереження через 12 місяців.",
        "Kanak-kanak yang perlu susulan 12 bulan dalam tempoh.",
        "Dönemde 12. ay izlemesi gelen çocuklar."]),
    def!(I::FollowUp12WithMother, "followup_12m_with_mother", K::Count, U::Number, "children due for the 12-month follow-up, reached, living with their mother", None, None, None, [
        "Children found living with their mother at the 12-month follow-up.",
        "Дети, живущие с матерью при наблюдении через 12 месяцев.",
        "12 айлық бақылауда анасымен тұратын балалар.",
        "12 oylik kuzatuvda onasi bilan yashayotgan bolalar.",
        "Діти, які живуть з матір'ю при спостереженні через 12 місяців.",
        "Kanak-kanak tinggal bersama ibu pada susulan 12 bulan.",
        "12. ay izlemesinde annesiyle yaşayan çocuklar."]),
    def!(I::FollowUp12Lost, "followup_12m_lost", K::Count, U::Number, "children due for the 12-month follow-up who were not reached (not_reached, refused, lost)", None, None, None, [
        "Children lost to the 12-month follow-up (not reached, refused or lost).",
        "Дети, выбывшие из наблюдения через 12 месяцев (не найдены, отказ, потеряны).",
        "12 айлық бақылаудан тыс қалған балалар (табылмады, бас тартты, жоғалды).",
        "12 oylik kuzatuvdan tushib qolgan bolalar (topilmadi, rad etdi, yo'qoldi).",
        "Діти, втрачені для спостереження через 12 місяців (не знайдені, відмова, втрачені).",
        "Kanak-kanak hilang susulan 12 bulan (tidak dihubungi, menolak, hilang).",
        "12. ay izlemesinde ulaşılamayan çocuklar (ulaşılamadı, reddetti, kayıp)."]),
    def!(I::ShareWithMother12, "share_with_mother_12m", K::Share, U::Percent, "followup_12m_with_mother", Some(I::FollowUp12Due), Some(I::FollowUp12WithMother), None, [
        "Share of children with their mother at 12 months: followup_12m_with_mother / followup_12m_due × 100 (lost counted in the denominator).",
        "Доля детей с матерью через 12 месяцев: followup_12m_with_mother / followup_12m_due × 100.",
        "12 айдан кейін анасымен бірге балалар үлесі: followup_12m_with_mother / followup_12m_due × 100.",
        "12 oydan keyin onasi bilan bolalar ulushi: followup_12m_with_mother / followup_12m_due × 100.",
        "Частка дітей з матір'ю через 12 місяців: followup_12m_with_mother / followup_12m_due × 100.",
        "Peratus kanak-kanak bersama ibu pada 12 bulan: followup_12m_with_mother / followup_12m_due × 100.",
        "12. ayda annesiyle kalan çocuk oranı: followup_12m_with_mother / followup_12m_due × 100."]),
    def!(I::IntentExits, "intent_exits", K::Count, U::Number, "cases exiting in the period whose relinquishment intent at intake was signed_refusal or considering", None, None, None, [
        "Exits of women who intended to give up the child at intake (signed refusal or considering).",
        "Выбытия женщин, намеревавшихся при приёме отказаться от ребёнка (подписан отказ или раздумывает).",
        "Қабылдау кезінде баладан бас тартуды көздеген әйелдердің шығуы.",
        "Qabulda boladan voz kechmoqchi bo'lgan ayollarning chiqishlari.",
        "Вибуття жінок, які при прийомі мали намір відмовитися від дитини.",
        "Keluar wanita yang berniat menyerahkan anak semasa pengambilan.",
        "Kabulde çocuğundan vazgeçmeyi düşünen kadınların çıkışları."]),
    def!(I::RelinquishmentPrevented, "relinquishment_prevented", K::Count, U::Number, "intent_exits whose outcome placement is with the mother", None, None, None, [
        "Relinquishment prevented: of those exits, the child lives with the mother at exit.",
        "Отказ предотвращён: из этих выбытий ребёнок живёт с матерью.",
        "Бас тарту алдын алынды: шығу кезінде бала анасымен тұрады.",
        "Voz kechish oldi olindi: chiqishda bola onasi bilan yashaydi.",
        "Відмову відвернено: при вибутті дитина живе з матір'ю.",
        "Penyerahan dicegah: anak tinggal bersama ibu semasa keluar.",
        "Vazgeçme önlendi: çıkışta çocuk annesiyle yaşıyor."]),
    def!(I::ShareRelinquishmentPrevented, "share_relinquishment_prevented", K::Share, U::Percent, "relinquishment_prevented", Some(I::IntentExits), Some(I::RelinquishmentPrevented), None, [
        "Share of relinquishment prevented: relinquishment_prevented / intent_exits × 100.",
        "Доля предотвращённых отказов: relinquishment_prevented / intent_exits × 100.",
        "Алдын алынған бас тартулар үлесі: relinquishment_prevented / intent_exits × 100.",
        "Oldi olingan voz kechishlar ulushi: relinquishment_prevented / intent_exits × 100.",
        "Частка відвернених відмов: relinquishment_prevented / intent_exits × 100.",
        "Peratus penyerahan dicegah: relinquishment_prevented / intent_exits × 100.",
        "Önlenen vazgeçme oranı: relinquishment_prevented / intent_exits × 100."]),
    def!(I::BabyHomeExits, "baby_home_exits", K::Count, U::Number, "children in a baby home at intake, in cases whose discharge date is in the period", None, None, None, [
        "Children who were in a baby home at intake, in cases that exited in the period.",
        "Дети, находившиеся в доме ребёнка при приёме, в случаях, выбывших в периоде.",
        "Қабылдау кезінде сәбилер үйінде болған балалар (кезеңде шыққан істер).",
        "Qabulda go'daklar uyida bo'lgan bolalar (davrda chiqqan ishlar).",
        "Діти, які при прийомі були в будинку дитини, у випадках, що вибули в періоді.",
        "Kanak-kanak di rumah bayi semasa pengambilan, dalam kes yang keluar dalam tempoh.",
        "Kabulde bebek evinde olan çocuklar (dönemde çıkan vakalar)."]),
    def!(I::Reunified, "reunified_from_baby_home", K::Count, U::Number, "baby_home_exits whose outcome placement is with the mother", None, None, None, [
        "Reunifications from a baby home: of those children, living with the mother at exit.",
        "Воссоединения из дома ребёнка: из этих детей живут с матерью при выбытии.",
        "Сәбилер үйінен қайта қосылу: шығу кезінде анасымен тұратын балалар.",
        "Go'daklar uyidan qayta birlashish: chiqishda onasi bilan yashaydigan bolalar.",
        "Возз'єднання з будинку дитини: з цих дітей живуть з матір'ю при вибутті.",
        "Penyatuan semula dari rumah bayi: tinggal bersama ibu semasa keluar.",
        "Bebek evinden birleşme: çıkışta annesiyle yaşayan çocuklar."]),
    def!(I::ShareReunified, "share_reunified_from_baby_home", K::Share, U::Percent, "reunified_from_baby_home", Some(I::BabyHomeExits), Some(I::Reunified), None, [
        "Share reunified from a baby home: reunified_from_baby_home / baby_home_exits × 100.",
        "Доля воссоединённых из дома ребёнка: reunified_from_baby_home / baby_home_exits × 100.",
        "Сәбилер үйінен қайта қосылу үлесі: reunified_from_baby_home / baby_home_exits × 100.",
        "Go'daklar uyidan qayta birlashish ulushi: reunified_from_baby_home / baby_home_exits × 100.",
        "Частка возз'єднаних з будинку дитини: reunified_from_baby_home / baby_home_exits × 100.",
        "Peratus penyatuan semula: reunified_from_baby_home / baby_home_exits × 100.",
        "Bebek evinden birleşme oranı: reunified_from_baby_home / baby_home_exits × 100."]),
    def!(I::ServicesDelivered, "services_delivered", K::Count, U::Number, "services with status implemented whose start date (or, without one, the case's intake date) is in the period", None, None, Some(Dimension::ServiceType), [
        "Services delivered (implemented), by type, placed by start date.",
        "Оказанные услуги (выполненные) по видам, по дате начала.",
        "Көрсетілген қызметтер (орындалған) түрлері бойынша, басталу күні бойынша.",
        "Ko'rsatilgan xizmatlar (bajarilgan) turlari bo'yicha, boshlanish sanasi bo'yicha.",
        "Надані послуги (виконані) за видами, за датою початку.",
        "Perkhidmatan diberikan (dilaksanakan) mengikut jenis, mengikut tarikh mula.",
        "Verilen hizmetler (uygulanan) türe göre, başlangıç tarihine göre."]),
    def!(I::Referrals, "referrals", K::Count, U::Number, "cases whose intake date is in the period, by referral source", None, None, Some(Dimension::ReferralSource), [
        "Cases opened in the period, by referral source.",
        "Случаи, открытые в периоде, по источнику направления.",
        "Кезеңде ашылған істер, жолдама көзі бойынша.",
        "Davrda ochilgan ishlar, yo'llanma manbai bo'yicha.",
        "Випадки, відкриті в періоді, за джерелом направлення.",
        "Kes dibuka dalam tempoh, mengikut sumber rujukan.",
        "Dönemde açılan vakalar, yönlendirme kaynağına göre."]),
    def!(I::RiskAssessed, "risk_assessed", K::Count, U::Number, "cases whose intake date is in the period with at least one risk assessment", None, None, None, [
        "Cases opened in the period with at least one risk assessment.",
        "Случаи, открытые в периоде, с хотя бы одной оценкой рисков.",
        "Кезеңде ашылған, кемінде бір тәуекел бағалауы бар істер.",
        "Davrda ochilgan, kamida bitta xavf baholashi bo'lgan ishlar.",
        "Випадки, відкриті в періоді, з принаймні однією оцінкою ризиків.",
        "Kes dibuka dalam tempoh dengan sekurang-kurangnya satu penilaian risiko.",
        "Dönemde açılan ve en az bir risk değerlendirmesi olan vakalar."]),
    def!(I::RiskFactorCases, "risk_factor_cases", K::Count, U::Number, "assessed cases with the risk factor in any assessment (a case counts once per factor)", None, None, Some(Dimension::RiskFactor), [
        "Assessed cases with each risk factor (a case counts once per factor).",
        "Оценённые случаи с каждым фактором риска (случай учитывается один раз на фактор).",
        "Әр тәуекел факторы бар бағаланған істер.",
        "Har bir xavf omili bo'lgan baholangan ishlar.",
        "Оцінені випадки з кожним чинником ризику (випадок рахується раз на чинник).",
        "Kes dinilai dengan setiap faktor risiko.",
        "Her risk etkeni olan değerlendirilmiş vakalar."]),
    def!(I::RiskPrevalence, "risk_prevalence", K::Share, U::Percent, "risk_factor_cases", Some(I::RiskAssessed), Some(I::RiskFactorCases), Some(Dimension::RiskFactor), [
        "Prevalence of each risk factor: risk_factor_cases / risk_assessed × 100.",
        "Распространённость каждого фактора риска: risk_factor_cases / risk_assessed × 100.",
        "Әр тәуекел факторының таралуы: risk_factor_cases / risk_assessed × 100.",
        "Har bir xavf omilining tarqalishi: risk_factor_cases / risk_assessed × 100.",
        "Поширеність кожного чинника ризику: risk_factor_cases / risk_assessed × 100.",
        "Kelaziman setiap faktor risiko: risk_factor_cases / risk_assessed × 100.",
        "Her risk etkeninin yaygınlığı: risk_factor_cases / risk_assessed × 100."]),
    def!(I::PlacementAtExit, "placement_at_exit", K::Count, U::Number, "cases whose discharge date is in the period with a recorded outcome, by child placement", None, None, Some(Dimension::Outcome), [
        "Exits by where the child lives at exit.",
        "Выбытия по месту проживания ребёнка при выбытии.",
        "Шығу кезінде баланың тұратын жері бойынша шығулар.",
        "Chiqishda bolaning yashash joyi bo'yicha chiqishlar.",
        "Вибуття за місцем проживання дитини при вибутті.",
        "Keluar mengikut tempat tinggal anak semasa keluar.",
        "Çıkışta çocuğun yaşadığı yere göre çıkışlar."]),
];

/// The id of the indicator set these definitions make; reports merge only within one set.
pub const INDICATOR_SET: &str = "ona-core-1";

impl Indicator {
    /// The definition of this indicator.
    pub fn definition(self) -> &'static Definition {
        // Every variant has exactly one entry (checked by a test).
        DEFINITIONS.iter().find(|d| d.indicator == self).unwrap_or(&DEFINITIONS[0])
    }

    /// The stable id.
    pub fn id(self) -> &'static str {
        self.definition().id
    }

    /// The indicator with this id.
    pub fn from_id(id: &str) -> Option<Indicator> {
        DEFINITIONS.iter().find(|d| d.id == id).map(|d| d.indicator)
    }

    /// Parses a comma-separated list of indicator ids (`women_served,children_served`).
    pub fn parse_list(s: &str) -> Result<Vec<Indicator>, super::error::ReportError> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                Indicator::from_id(p)
                    .ok_or_else(|| super::error::ReportError::UnknownIndicator(p.to_string()))
            })
            .collect()
    }

    /// The definition text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        self.definition().text[i]
    }

    /// Whether the indicator is a count held in a table (as opposed to derived from counts).
    pub fn is_count(self) -> bool {
        self.definition().kind == Kind::Count
    }

    /// Which dimensions apply to this indicator (others are reported as the total `_T`).
    pub fn applies(self, d: Dimension) -> bool {
        use Dimension as D;
        let def = self.definition();
        if def.inherent == Some(d) {
            return true;
        }
        match d {
            D::Country | D::Admin1 | D::Centre | D::Month | D::Quarter | D::Year => true,
            D::MotherAge | D::ReferralSource => true,
            D::ChildAge => matches!(
                self,
                I::ChildrenServed
                    | I::ExitChildren
                    | I::WithMotherAtExit
                    | I::ShareWithMotherAtExit
                    | I::FollowUp6Due
                    | I::FollowUp6WithMother
                    | I::FollowUp6Lost
                    | I::ShareWithMother6
                    | I::FollowUp12Due
                    | I::FollowUp12WithMother
                    | I::FollowUp12Lost
                    | I::ShareWithMother12
                    | I::BabyHomeExits
                    | I::Reunified
                    | I::ShareReunified
            ),
            D::Outcome => matches!(self, I::Exits | I::LengthOfStayMean | I::LengthOfStayMedian),
            D::RiskFactor | D::ServiceType => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_defined_once_in_seven_languages() {
        let mut ids = std::collections::BTreeSet::new();
        for d in DEFINITIONS {
            assert!(ids.insert(d.id), "duplicate {}", d.id);
            assert_eq!(d.indicator.definition().id, d.id);
            assert!(d.text.iter().all(|t| !t.is_empty()));
            if d.kind == Kind::Share {
                assert!(d.denominator.is_some() && d.numerator_of.is_some());
            }
        }
        assert_eq!(DEFINITIONS.len(), 29);
    }
}
