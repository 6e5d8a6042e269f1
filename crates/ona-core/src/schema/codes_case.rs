//! Codelists about the centre and the case as a whole.

use super::codelist::codelist;

codelist! {
    /// Who runs a centre.
    pub enum OperatorType: "operator_type" {
        /// A non-governmental organisation.
        Ngo = "ngo",
        /// A state or municipal body.
        Public = "public",
        /// A faith-based organisation.
        FaithBased = "faith_based",
        /// A public–private partnership.
        PublicPrivatePartnership = "public_private_partnership",
        /// A private company or foundation.
        Private = "private",
    }
}

codelist! {
    /// Where a case stands.
    pub enum CaseStatus: "case_status" {
        /// The woman is being supported.
        Open = "open",
        /// Support has ended.
        Closed = "closed",
        /// Handed over to another centre or service.
        Transferred = "transferred",
        /// A duplicate of another case record.
        Duplicate = "duplicate",
    }
}

codelist! {
    /// Who referred the woman to the centre.
    pub enum ReferralSource: "referral_source" {
        /// A maternity ward or maternity hospital.
        MaternityWard = "maternity_ward",
        /// A perinatal centre.
        PerinatalCentre = "perinatal_centre",
        /// A polyclinic or primary-care clinic.
        Polyclinic = "polyclinic",
        /// The guardianship and custody authority.
        GuardianshipAuthority = "guardianship_authority",
        /// Social protection services.
        SocialProtection = "social_protection",
        /// The police.
        Police = "police",
        /// Another non-governmental organisation.
        Ngo = "ngo",
        /// A hotline.
        Hotline = "hotline",
        /// The woman herself.
        SelfReferral = "self",
        /// A relative or acquaintance.
        Relative = "relative",
        /// Any other source.
        Other = "other",
    }
}

codelist! {
    /// At what point the woman came to the centre.
    pub enum IntakePoint: "intake_point" {
        /// During pregnancy.
        Pregnant = "pregnant",
        /// From the maternity ward, after giving birth.
        MaternityWard = "maternity_ward",
        /// After discharge from the maternity ward.
        AfterDischarge = "after_discharge",
        /// With the child already placed in a baby home.
        ChildInBabyHome = "child_in_baby_home",
    }
}

codelist! {
    /// The woman's intention to give up her child, as recorded at intake.
    pub enum RelinquishmentIntent: "relinquishment_intent" {
        /// She had signed a refusal of the child.
        SignedRefusal = "signed_refusal",
        /// She was considering giving up the child.
        Considering = "considering",
        /// No intention to give up the child.
        None = "none",
        /// Not known.
        Unknown = "unknown",
    }
}

codelist! {
    /// Why a case was closed.
    pub enum ClosureReason: "closure_reason" {
        /// The support plan was completed.
        PlanCompleted = "plan_completed",
        /// The woman left of her own will before the plan was completed.
        LeftVoluntarily = "left_voluntarily",
        /// Transferred to another service or centre.
        TransferredOut = "transferred_out",
        /// The woman moved away.
        MovedAway = "moved_away",
        /// Support ended because house rules were broken.
        RuleViolation = "rule_violation",
        /// The child was relinquished despite support.
        ChildRelinquished = "child_relinquished",
        /// The record duplicated another one.
        DuplicateRecord = "duplicate_record",
        /// Any other reason.
        Other = "other",
    }
}

codelist! {
    /// The kind of national identification number.
    pub enum NationalIdType: "national_id_type" {
        /// Kazakhstan: individual identification number (IIN), 12 digits.
        KzIin = "KZ_IIN",
        /// Uzbekistan: personal identification number of a natural person (PINFL), 14 digits.
        UzPinfl = "UZ_PINFL",
        /// Kyrgyzstan: personal identification number (PIN), 14 digits.
        KgPin = "KG_PIN",
        /// Ukraine: registration number of the taxpayer's account card (RNOKPP), 10 digits.
        UaRnokpp = "UA_RNOKPP",
        /// Malaysia: MyKad identity card number, 12 digits.
        MyMykad = "MY_MYKAD",
        /// Türkiye: Turkish identification number (TCKN), 11 digits.
        TrTckn = "TR_TCKN",
    }
}

impl NationalIdType {
    /// The ISO 3166-1 alpha-2 code of the country that issues this kind of ID.
    pub fn country(self) -> &'static str {
        match self {
            NationalIdType::KzIin => "KZ",
            NationalIdType::UzPinfl => "UZ",
            NationalIdType::KgPin => "KG",
            NationalIdType::UaRnokpp => "UA",
            NationalIdType::MyMykad => "MY",
            NationalIdType::TrTckn => "TR",
        }
    }
}
