//! Codelists about risks, services, outcomes and follow-ups.

use super::codelist::codelist;

codelist! {
    /// A risk factor found in a risk assessment.
    pub enum RiskFactor: "risk_factor" {
        /// No place to live.
        Homelessness = "homelessness",
        /// Domestic violence.
        DomesticViolence = "domestic_violence",
        /// Rejected by her family.
        FamilyRejection = "family_rejection",
        /// No identity documents.
        NoIdentityDocuments = "no_identity_documents",
        /// The child's birth is not registered.
        ChildUnregistered = "child_unregistered",
        /// Poverty.
        Poverty = "poverty",
        /// Unemployment.
        Unemployment = "unemployment",
        /// Debt.
        Debt = "debt",
        /// The mother's physical illness.
        MaternalPhysicalIllness = "maternal_physical_illness",
        /// Mental health problems.
        MentalHealth = "mental_health",
        /// Alcohol or drug use.
        SubstanceUse = "substance_use",
        /// HIV or tuberculosis.
        HivTb = "hiv_tb",
        /// The mother's disability.
        Disability = "disability",
        /// The child's illness or disability.
        ChildHealthDisability = "child_health_disability",
        /// The mother is under 18.
        MinorMother = "minor_mother",
        /// Pregnancy resulting from rape.
        PregnancyFromRape = "pregnancy_from_rape",
        /// Trafficking or exploitation.
        TraffickingExploitation = "trafficking_exploitation",
        /// Irregular migration status.
        IrregularMigration = "irregular_migration",
        /// A previous child is in state care.
        PreviousChildInCare = "previous_child_in_care",
        /// No social support network.
        NoSocialSupport = "no_social_support",
    }
}

codelist! {
    /// The six core types of gender-based violence of the GBVIMS classification.
    pub enum ViolenceType: "violence_type" {
        /// Rape.
        Rape = "rape",
        /// Sexual assault.
        SexualAssault = "sexual_assault",
        /// Physical assault.
        PhysicalAssault = "physical_assault",
        /// Forced marriage.
        ForcedMarriage = "forced_marriage",
        /// Denial of resources, opportunities or services.
        DenialOfResources = "denial_of_resources",
        /// Psychological or emotional abuse.
        PsychologicalAbuse = "psychological_abuse",
    }
}

codelist! {
    /// The overall risk level of a risk assessment or follow-up.
    pub enum RiskLevel: "risk_level" {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
        /// Critical: immediate danger to mother or child.
        Critical = "critical",
    }
}

codelist! {
    /// A kind of service given or arranged.
    pub enum ServiceType: "service_type" {
        /// Shelter.
        Shelter = "shelter",
        /// Food.
        Food = "food",
        /// Material aid (clothes, nappies, equipment).
        MaterialAid = "material_aid",
        /// Medical care for the mother.
        MedicalMother = "medical_mother",
        /// Medical care for the child.
        MedicalChild = "medical_child",
        /// Psychological support.
        Psychological = "psychological",
        /// Legal aid.
        LegalAid = "legal_aid",
        /// Restoring identity documents.
        Documents = "documents",
        /// Registering the child's birth.
        BirthRegistration = "birth_registration",
        /// Applying for state benefits.
        BenefitsApplication = "benefits_application",
        /// Vocational training.
        VocationalTraining = "vocational_training",
        /// Job placement.
        JobPlacement = "job_placement",
        /// Parenting skills.
        Parenting = "parenting",
        /// Family mediation.
        FamilyMediation = "family_mediation",
        /// Help with housing.
        Housing = "housing",
    }
}

codelist! {
    /// Whether a service is given by the centre or by another provider.
    pub enum ServiceDelivery: "service_delivery" {
        /// Given by the centre itself.
        InHouse = "in_house",
        /// Given by another provider after a referral.
        Referral = "referral",
    }
}

codelist! {
    /// The state of a service.
    pub enum ServiceStatus: "service_status" {
        /// Planned.
        Planned = "planned",
        /// Referred to a provider.
        Referred = "referred",
        /// Given.
        Implemented = "implemented",
        /// Declined by the woman.
        Declined = "declined",
        /// Not available.
        Unavailable = "unavailable",
    }
}

codelist! {
    /// The kind of stay.
    pub enum StayType: "stay_type" {
        /// Living in the centre.
        Residential = "residential",
        /// Day support without living in the centre.
        DaySupport = "day_support",
    }
}

codelist! {
    /// Where a child lives (at exit or at a follow-up).
    pub enum Placement: "placement" {
        /// With the mother.
        WithMother = "with_mother",
        /// With both parents.
        WithBothParents = "with_both_parents",
        /// With relatives (kinship care).
        Kinship = "kinship",
        /// In foster care.
        Foster = "foster",
        /// Under guardianship.
        Guardianship = "guardianship",
        /// Adopted.
        Adoption = "adoption",
        /// In residential care (baby home, orphanage).
        ResidentialCare = "residential_care",
        /// The child died.
        Deceased = "deceased",
        /// Not known.
        Unknown = "unknown",
    }
}

impl Placement {
    /// Whether the child lives with the mother (alone or with both parents).
    pub fn with_mother(self) -> bool {
        matches!(self, Placement::WithMother | Placement::WithBothParents)
    }

    /// Whether the child is in formal state care (foster, guardianship or residential care).
    pub fn formal_care(self) -> bool {
        matches!(self, Placement::Foster | Placement::Guardianship | Placement::ResidentialCare)
    }
}

codelist! {
    /// Where the mother lives after exit.
    pub enum HousingOutcome: "housing_outcome" {
        /// In her own home.
        Own = "own",
        /// In rented housing.
        Rented = "rented",
        /// With family.
        WithFamily = "with_family",
        /// In social or state housing.
        SocialHousing = "social_housing",
        /// In another shelter.
        Shelter = "shelter",
        /// Homeless.
        Homeless = "homeless",
        /// Not known.
        Unknown = "unknown",
    }
}

codelist! {
    /// The mother's main income after exit.
    pub enum IncomeOutcome: "income_outcome" {
        /// Work.
        Employment = "employment",
        /// State benefits.
        Benefits = "benefits",
        /// Support from family or the child's father.
        FamilySupport = "family_support",
        /// No income.
        None = "none",
        /// Not known.
        Unknown = "unknown",
    }
}

codelist! {
    /// The follow-up points after exit.
    pub enum FollowUpPoint: "follow_up_point" {
        /// Three months after exit.
        M3 = "m3",
        /// Six months after exit.
        M6 = "m6",
        /// Twelve months after exit.
        M12 = "m12",
        /// Twenty-four months after exit.
        M24 = "m24",
    }
}

impl FollowUpPoint {
    /// Months after exit at which this follow-up is due.
    pub fn months(self) -> i32 {
        match self {
            FollowUpPoint::M3 => 3,
            FollowUpPoint::M6 => 6,
            FollowUpPoint::M12 => 12,
            FollowUpPoint::M24 => 24,
        }
    }
}

codelist! {
    /// What came of a follow-up contact.
    pub enum ContactResult: "contact_result" {
        /// The mother was reached.
        Reached = "reached",
        /// Not reached this time.
        NotReached = "not_reached",
        /// She refused contact.
        Refused = "refused",
        /// Lost to follow-up.
        Lost = "lost",
    }
}

codelist! {
    /// How a follow-up was made.
    pub enum ContactMethod: "contact_method" {
        /// A home visit.
        HomeVisit = "home_visit",
        /// A phone call.
        Phone = "phone",
        /// A visit to the centre.
        CentreVisit = "centre_visit",
        /// A messenger app.
        Messenger = "messenger",
        /// Through a third party (social worker, relative).
        ThirdParty = "third_party",
    }
}
