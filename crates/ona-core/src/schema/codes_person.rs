//! Codelists about the mother and the children.

use super::codelist::codelist;

codelist! {
    /// The mother's legal residence status in the country of the centre.
    pub enum ResidenceStatus: "residence_status" {
        /// A citizen.
        Citizen = "citizen",
        /// A permanent resident.
        PermanentResident = "permanent_resident",
        /// A temporary resident.
        TemporaryResident = "temporary_resident",
        /// A recognised refugee.
        Refugee = "refugee",
        /// An asylum seeker.
        AsylumSeeker = "asylum_seeker",
        /// An internally displaced person.
        InternallyDisplaced = "internally_displaced",
        /// Stateless.
        Stateless = "stateless",
        /// Without legal status.
        Irregular = "irregular",
        /// Not known.
        Unknown = "unknown",
    }
}

codelist! {
    /// Highest education completed, as ISCED 2011 levels.
    pub enum IscedLevel: "isced_level" {
        /// ISCED 0: early childhood education or none.
        Isced0 = "isced_0",
        /// ISCED 1: primary education.
        Isced1 = "isced_1",
        /// ISCED 2: lower secondary education.
        Isced2 = "isced_2",
        /// ISCED 3: upper secondary education.
        Isced3 = "isced_3",
        /// ISCED 4: post-secondary non-tertiary education.
        Isced4 = "isced_4",
        /// ISCED 5: short-cycle tertiary education.
        Isced5 = "isced_5",
        /// ISCED 6: bachelor's or equivalent.
        Isced6 = "isced_6",
        /// ISCED 7: master's or equivalent.
        Isced7 = "isced_7",
        /// ISCED 8: doctoral or equivalent.
        Isced8 = "isced_8",
    }
}

codelist! {
    /// The mother's employment situation.
    pub enum Employment: "employment" {
        /// Employed.
        Employed = "employed",
        /// Self-employed.
        SelfEmployed = "self_employed",
        /// Working informally.
        Informal = "informal",
        /// Unemployed and looking for work.
        Unemployed = "unemployed",
        /// Student.
        Student = "student",
        /// On maternity or parental leave.
        ParentalLeave = "parental_leave",
        /// Not in the labour force.
        NotInLabourForce = "not_in_labour_force",
        /// Not known.
        Unknown = "unknown",
    }
}

codelist! {
    /// The mother's marital status.
    pub enum MaritalStatus: "marital_status" {
        /// Never married.
        Single = "single",
        /// Married.
        Married = "married",
        /// Living with a partner without registered marriage.
        UnregisteredUnion = "unregistered_union",
        /// Divorced.
        Divorced = "divorced",
        /// Separated.
        Separated = "separated",
        /// Widowed.
        Widowed = "widowed",
        /// Not known.
        Unknown = "unknown",
    }
}

codelist! {
    /// Sex of a child.
    pub enum Sex: "sex" {
        /// Female.
        Female = "female",
        /// Male.
        Male = "male",
        /// Not known or not yet recorded.
        Unknown = "unknown",
    }
}

codelist! {
    /// Where a child was when the case was opened.
    pub enum ChildLocation: "child_location" {
        /// With the mother.
        WithMother = "with_mother",
        /// In the maternity ward.
        MaternityWard = "maternity_ward",
        /// In hospital.
        Hospital = "hospital",
        /// In a baby home (infant residential care).
        BabyHome = "baby_home",
        /// With relatives.
        Kin = "kin",
        /// In foster care.
        Foster = "foster",
        /// Not yet born (the mother came while pregnant).
        NotYetBorn = "not_yet_born",
    }
}

codelist! {
    /// A health condition of a child.
    pub enum ChildHealthCondition: "child_health_condition" {
        /// Born before 37 weeks.
        Premature = "premature",
        /// Birth weight under 2,500 g.
        LowBirthWeight = "low_birth_weight",
        /// A congenital anomaly.
        CongenitalAnomaly = "congenital_anomaly",
        /// Exposed to HIV.
        HivExposed = "hiv_exposed",
        /// A disability.
        Disability = "disability",
        /// A chronic illness.
        ChronicIllness = "chronic_illness",
        /// Another condition.
        Other = "other",
    }
}
