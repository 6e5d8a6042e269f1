//! The page's explanations in plain words, in en, ru, kk, uz, uk, ms, tr (the order of
//! [`Lang::ALL`]): how disclosure control was applied, what a partial period, a gap or a “not
//! available” means. Slots such as `{k}` are filled with numbers formatted for the reader.

use super::words::column;
use crate::schema::Lang;

/// An explanation on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::report::output) enum Note {
    /// Small counts are suppressed; `{k}` is the largest suppressed count.
    Suppression,
    /// No small-cell suppression (threshold 1).
    NoSuppression,
    /// Noise was added; `{eps}` ε, `{mech}` the mechanism.
    Noise,
    /// A merged noisy report: sums of noisy figures.
    NoiseMerged,
    /// No noise: the figures are exact counts.
    Exact,
    /// The figures are approximate and carry a 95 % interval half-width.
    Interval,
    /// A share carries its 95 % interval “(a – b)”.
    ShareInterval,
    /// A gap in a line is a suppressed figure.
    Gap,
    /// Shaded periods are partial.
    Partial,
    /// What “not available” means.
    Missing,
    /// What the source of the figures is: `{set}` indicator set, `{schema}` schema version.
    Source,
    /// A merged report: `{n}` country reports.
    Merged,
}

fn texts(w: Note) -> [&'static str; 7] {
    match w {
        Note::Suppression => ["No count from 1 to {k} is published: so small a figure could point to a particular woman. It is shown as “suppressed”, and so is any other figure from which it could be worked out using the totals (secondary suppression). A share is suppressed when its numerator or its denominator is.",
        "Числа от 1 до {k} не публикуются: столь малое число может указать на конкретную женщину. Оно показано как «скрыто», как и любое другое значение, по которому его можно было бы вычислить из итогов (вторичное скрытие). Доля скрыта, если скрыт её числитель или знаменатель.",
        "1-ден {k}-ге дейінгі сандар жарияланбайды: мұндай аз сан белгілі бір әйелді көрсетуі мүмкін. Ол «жасырылған» деп көрсетіледі, оны қорытындылардан есептеп шығаруға мүмкіндік беретін кез келген басқа мән де солай (қосалқы жасыру). Алымы немесе бөлімі жасырылған үлес те жасырылады.",
        "1 dan {k} gacha bo'lgan sonlar e'lon qilinmaydi: bunday kichik son muayyan ayolni ko'rsatib qo'yishi mumkin. U «yashirilgan» deb ko'rsatiladi, uni jami qiymatlardan hisoblab chiqishga imkon beradigan har qanday boshqa qiymat ham (ikkilamchi yashirish). Surati yoki maxraji yashirilgan ulush ham yashiriladi.",
        "Числа від 1 до {k} не публікуються: таке мале число може вказати на конкретну жінку. Воно показане як «приховано», як і будь-яке інше значення, з якого його можна було б обчислити за підсумками (вторинне приховування). Частку приховано, якщо приховано її чисельник або знаменник.",
        "Tiada kiraan dari 1 hingga {k} diterbitkan: angka sekecil itu boleh menunjuk kepada wanita tertentu. Ia ditunjukkan sebagai «disembunyikan», begitu juga angka lain yang membolehkannya dikira daripada jumlah (penyembunyian sekunder). Peratusan disembunyikan apabila pengangka atau penyebutnya disembunyikan.",
        "1 ile {k} arasındaki sayılar yayımlanmaz: bu kadar küçük bir sayı belirli bir kadını işaret edebilir. «gizlendi» olarak gösterilir; toplamlar kullanılarak onu hesaplamaya yarayacak diğer değerler de öyle (ikincil gizleme). Payı veya paydası gizlenen oran da gizlenir."],
        Note::NoSuppression => ["No small-cell suppression was applied to this report.",
        "Скрытие малых значений в этом отчёте не применялось.",
        "Бұл есепте шағын мәндерді жасыру қолданылмады.",
        "Ushbu hisobotda kichik qiymatlarni yashirish qo'llanilmagan.",
        "Приховування малих значень у цьому звіті не застосовувалося.",
        "Tiada penyembunyian sel kecil digunakan dalam laporan ini.",
        "Bu raporda küçük hücre gizlemesi uygulanmadı."],
        Note::Noise => ["Random noise was added to every count (differential privacy, ε = {eps}, {mech}), so that no figure reveals whether any one woman is in the data.",
        "К каждому числу добавлен случайный шум (дифференциальная приватность, ε = {eps}, {mech}), чтобы ни одно значение не выдавало, есть ли в данных конкретная женщина.",
        "Әр санға кездейсоқ шу қосылды (дифференциалды құпиялылық, ε = {eps}, {mech}), сондықтан ешбір мән белгілі бір әйелдің деректерде бар-жоғын ашпайды.",
        "Har bir songa tasodifiy shovqin qo'shildi (differensial maxfiylik, ε = {eps}, {mech}), shuning uchun hech bir qiymat muayyan ayolning ma'lumotlarda bor-yo'qligini oshkor qilmaydi.",
        "До кожного числа додано випадковий шум (диференційна приватність, ε = {eps}, {mech}), щоб жодне значення не виказувало, чи є в даних конкретна жінка.",
        "Hingar rawak ditambah pada setiap kiraan (privasi pembezaan, ε = {eps}, {mech}) supaya tiada angka mendedahkan sama ada seseorang wanita berada dalam data.",
        "Her sayıya rastgele gürültü eklendi (diferansiyel gizlilik, ε = {eps}, {mech}); böylece hiçbir değer belirli bir kadının verilerde olup olmadığını açığa çıkarmaz."],
        Note::NoiseMerged => ["The regional figures are sums of the countries' noisy figures; no new noise was added.",
        "Региональные значения — суммы зашумлённых значений стран; новый шум не добавлялся.",
        "Өңірлік мәндер — елдердің шу қосылған мәндерінің қосындысы; жаңа шу қосылмады.",
        "Mintaqaviy qiymatlar mamlakatlarning shovqinli qiymatlari yig'indisidir; yangi shovqin qo'shilmagan.",
        "Регіональні значення — суми зашумлених значень країн; новий шум не додавався.",
        "Angka serantau ialah jumlah angka berhingar negara-negara; tiada hingar baharu ditambah.",
        "Bölgesel değerler ülkelerin gürültülü değerlerinin toplamıdır; yeni gürültü eklenmedi."],
        Note::Exact => ["No noise was added: every figure shown is an exact count of the records received.",
        "Шум не добавлялся: каждое показанное значение — точный подсчёт полученных записей.",
        "Шу қосылмады: көрсетілген әр мән — алынған жазбалардың нақты саны.",
        "Shovqin qo'shilmagan: ko'rsatilgan har bir qiymat olingan yozuvlarning aniq sonidir.",
        "Шум не додавався: кожне показане значення — точний підрахунок отриманих записів.",
        "Tiada hingar ditambah: setiap angka yang ditunjukkan ialah kiraan tepat rekod yang diterima.",
        "Gürültü eklenmedi: gösterilen her değer, alınan kayıtların kesin sayısıdır."],
        Note::Interval => ["The figures are therefore approximate: “± x” is the half-width of the 95% interval around the published figure, drawn as a band in the charts.",
        "Поэтому значения приблизительные: «± x» — полуширина 95 % интервала вокруг опубликованного значения, на графиках — полоса.",
        "Сондықтан мәндер шамамен алынған: «± x» — жарияланған мән маңындағы 95 % аралықтың жарты ені, графиктерде жолақ түрінде.",
        "Shu sababli qiymatlar taxminiy: «± x» — e'lon qilingan qiymat atrofidagi 95 % intervalning yarim kengligi, grafiklarda polosa bilan.",
        "Тому значення наближені: «± x» — напівширина 95 % інтервалу навколо опублікованого значення, на графіках — смуга.",
        "Oleh itu angka adalah anggaran: «± x» ialah separuh lebar selang 95% di sekitar angka yang diterbitkan, dilukis sebagai jalur dalam carta.",
        "Bu yüzden değerler yaklaşıktır: «± x», yayımlanan değerin çevresindeki %95 aralığın yarı genişliğidir; grafiklerde bir bant olarak çizilir."],
        Note::ShareInterval => ["A share carries its 95% interval in brackets, “(a – b)”: built from the intervals of its noisy numerator and denominator, it holds the true share with probability at least 95%.",
        "У доли в скобках указан её 95 % интервал «(a – b)»: он построен по интервалам зашумлённых числителя и знаменателя и содержит истинную долю с вероятностью не менее 95 %.",
        "Үлестің жақша ішінде 95 % аралығы көрсетілген, «(a – b)»: ол шу қосылған алым мен бөлімнің аралықтарынан құрылады және нақты үлесті кемінде 95 % ықтималдықпен қамтиды.",
        "Ulushning qavs ichida 95 % intervali ko'rsatilgan, «(a – b)»: u shovqinli surat va maxraj intervallaridan tuziladi va haqiqiy ulushni kamida 95 % ehtimollik bilan o'z ichiga oladi.",
        "Для частки в дужках наведено її 95 % інтервал «(a – b)»: він побудований з інтервалів зашумлених чисельника й знаменника і містить справжню частку з імовірністю щонайменше 95 %.",
        "Peratusan membawa selang 95% dalam kurungan, «(a – b)»: dibina daripada selang pengangka dan penyebut berhingar, ia mengandungi peratusan sebenar dengan kebarangkalian sekurang-kurangnya 95%.",
        "Oranlar %95 aralığını parantez içinde gösterir, «(a – b)»: gürültülü pay ve paydanın aralıklarından kurulur ve gerçek oranı en az %95 olasılıkla içerir."],
        Note::Gap => ["A gap in a line is a suppressed figure, not a zero.",
        "Разрыв линии — скрытое значение, а не ноль.",
        "Сызықтағы үзіліс — нөл емес, жасырылған мән.",
        "Chiziqdagi uzilish — nol emas, yashirilgan qiymat.",
        "Розрив лінії — приховане значення, а не нуль.",
        "Jurang pada garisan ialah angka yang disembunyikan, bukan sifar.",
        "Çizgideki boşluk sıfır değil, gizlenmiş bir değerdir."],
        Note::Partial => ["Shaded periods are partial: the data ends before all their events could happen or be recorded (stays still open, follow-ups not yet due). A drop there is not a decline.",
        "Затенённые периоды неполные: данные заканчиваются раньше, чем все их события могли произойти или быть записаны (пребывания не завершены, сроки наблюдения не наступили). Спад в них не означает ухудшения.",
        "Көлеңкеленген кезеңдер толық емес: деректер олардың барлық оқиғалары болып, жазылып үлгергенге дейін аяқталады (тұру аяқталмаған, бақылау мерзімі келмеген). Ондағы төмендеу нашарлау емес.",
        "Soyalangan davrlar to'liq emas: ma'lumotlar ularning barcha hodisalari sodir bo'lib, yozib ulgurilmasdan tugaydi (yashash tugamagan, kuzatuv muddati kelmagan). Ulardagi pasayish yomonlashuv emas.",
        "Затінені періоди неповні: дані закінчуються раніше, ніж усі їхні події могли статися або бути записані (перебування тривають, строки спостереження не настали). Спад у них не означає погіршення.",
        "Tempoh berlorek adalah separa: data berakhir sebelum semua peristiwanya sempat berlaku atau direkodkan (penginapan masih berjalan, susulan belum tiba masanya). Penurunan di situ bukan kemerosotan.",
        "Gölgeli dönemler kısmidir: veriler, bu dönemlerin tüm olayları gerçekleşip kaydedilmeden önce sona erer (kalışlar sürüyor, izleme tarihleri gelmedi). Buradaki düşüş bir kötüleşme değildir."],
        Note::Missing => ["“Not available”: a figure this report cannot give (a median is not merged from country medians).",
        "«Недоступно»: показатель, который этот отчёт не может дать (медиана не складывается из медиан стран).",
        "«Қолжетімсіз»: бұл есеп бере алмайтын көрсеткіш (медиана елдердің медианаларынан біріктірілмейді).",
        "«Mavjud emas»: bu hisobot bera olmaydigan ko'rsatkich (mediana mamlakatlar medianalaridan birlashtirilmaydi).",
        "«Недоступно»: показник, який цей звіт не може дати (медіана не складається з медіан країн).",
        "«Tidak tersedia»: angka yang tidak dapat diberikan oleh laporan ini (median tidak digabungkan daripada median negara).",
        "«Mevcut değil»: bu raporun veremeyeceği bir gösterge (medyan, ülke medyanlarından birleştirilemez)."],
        Note::Source => ["Pseudonymised case records of the Mother's Home network, counted by ona (indicator set {set}, case schema {schema}); only cases with consent to aggregate reporting.",
        "Псевдонимизированные записи случаев сети «Дом матери», подсчитанные ona (набор показателей {set}, схема случая {schema}); только случаи с согласием на сводную отчётность.",
        "«Ана үйі» желісінің бүркеншік аттандырылған іс жазбалары, ona санаған (көрсеткіштер жиыны {set}, іс схемасы {schema}); тек жиынтық есептілікке келісім берілген істер.",
        "«Ona uyi» tarmog'ining taxalluslangan ish yozuvlari, ona tomonidan hisoblangan (ko'rsatkichlar to'plami {set}, ish sxemasi {schema}); faqat umumlashgan hisobotga rozilik berilgan ishlar.",
        "Псевдонімізовані записи випадків мережі «Дім матері», підраховані ona (набір показників {set}, схема випадку {schema}); лише випадки зі згодою на зведену звітність.",
        "Rekod kes berpseudonim rangkaian Rumah Ibu, dikira oleh ona (set penunjuk {set}, skema kes {schema}); hanya kes yang bersetuju dengan pelaporan agregat.",
        "Anne Evi ağının takma adlandırılmış vaka kayıtları, ona tarafından sayıldı (gösterge seti {set}, vaka şeması {schema}); yalnızca toplu raporlamaya onay veren vakalar."],
        Note::Merged => ["Regional report merged from {n} country reports.",
        "Региональный отчёт, объединённый из отчётов стран: {n}.",
        "{n} ел есебінен біріктірілген өңірлік есеп.",
        "{n} ta mamlakat hisobotidan birlashtirilgan mintaqaviy hisobot.",
        "Регіональний звіт, об'єднаний зі звітів країн: {n}.",
        "Laporan serantau digabungkan daripada {n} laporan negara.",
        "{n} ülke raporundan birleştirilmiş bölgesel rapor."],
    }
}

/// `n` in `lang`.
pub(in crate::report::output) fn note(n: Note, lang: Lang) -> &'static str {
    texts(n)[column(lang)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every note (the `match` in `texts` makes sure each has its seven texts).
    const ALL: [Note; 12] = [
        Note::Suppression,
        Note::NoSuppression,
        Note::Noise,
        Note::NoiseMerged,
        Note::Exact,
        Note::Interval,
        Note::ShareInterval,
        Note::Gap,
        Note::Partial,
        Note::Missing,
        Note::Source,
        Note::Merged,
    ];

    #[test]
    fn every_note_is_given_in_every_language_with_the_same_slots() {
        for n in ALL {
            let texts = texts(n);
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{n:?}");
            for slot in ["{k}", "{eps}", "{mech}", "{set}", "{schema}", "{n}"] {
                let en = texts[0].contains(slot);
                assert!(texts.iter().all(|t| t.contains(slot) == en), "{n:?} {slot}");
            }
        }
    }
}
