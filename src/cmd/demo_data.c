/*
 * The demo program's tables (see demo_data.h). Everything is invented: organisations, people,
 * addresses, phone numbers in the 555-01xx range reserved for fiction, and example.org /
 * example.net addresses.
 */
#include "cmd/demo_data.h"

#define NAMES(a)                                                                                   \
    {                                                                                              \
        (a), CM_ARRAY_LEN(a)                                                                       \
    }

/* ---- organisations --------------------------------------------------------------------------- */

const struct cmd_demo_org_def cmd_demo_orgs[CM_DEMO_ORG_COUNT] = {
    [CM_DEMO_ORG_NONE] = {NULL, CM_ORG_NONE, NULL, NULL},
    [CM_DEMO_ORG_RIVERBEND] = {"Riverbend Pediatrics", CM_ORG_PRACTICE, "riverbend-peds",
                               "14 Ferryboat Lane, Riverbend"},
    [CM_DEMO_ORG_LAKESIDE] = {"Lakeside Children's Clinic", CM_ORG_PRACTICE, "lakeside-clinic",
                              "220 Heron Shore Road, Lakeside"},
    [CM_DEMO_ORG_HOSP_LANTERNFIELD] = {"Lanternfield Children's Hospital", CM_ORG_HOSPITAL,
                                       "lanternfield", "1 Lanternfield Circle, Riverbend"},
    [CM_DEMO_ORG_HOSP_COPPERBROOK] = {"Copperbrook Regional Medical Center", CM_ORG_HOSPITAL,
                                      "copperbrook", "900 Copperbrook Parkway, Lakeside"},
    [CM_DEMO_ORG_CLINIC_NEURO] = {"Lanternfield Neurology and Epilepsy Clinic", CM_ORG_CLINIC,
                                  "lanternfield-neuro", "1 Lanternfield Circle, Suite 300"},
    [CM_DEMO_ORG_CLINIC_AIRWAY] = {"Lanternfield Pulmonary and Airway Clinic", CM_ORG_CLINIC,
                                   "lanternfield-airway", "1 Lanternfield Circle, Suite 410"},
    [CM_DEMO_ORG_CLINIC_GI] = {"Lanternfield GI and Nutrition Clinic", CM_ORG_CLINIC,
                               "lanternfield-gi", "1 Lanternfield Circle, Suite 220"},
    [CM_DEMO_ORG_CLINIC_HEART] = {"Copperbrook Heart Center", CM_ORG_CLINIC, "copperbrook-heart",
                                  "900 Copperbrook Parkway, Building B"},
    [CM_DEMO_ORG_CLINIC_ORTHO] = {"Copperbrook Orthopedics and Rehabilitation", CM_ORG_CLINIC,
                                  "copperbrook-rehab", "910 Copperbrook Parkway"},
    [CM_DEMO_ORG_CLINIC_DEVPEDS] = {"Lanternfield Developmental Pediatrics", CM_ORG_CLINIC,
                                    "lanternfield-dev", "5 Lanternfield Circle"},
    [CM_DEMO_ORG_CLINIC_THERAPY] = {"Sprucewind Pediatric Therapy", CM_ORG_CLINIC, "sprucewind",
                                    "77 Sprucewind Avenue, Riverbend"},
    [CM_DEMO_ORG_CLINIC_PCP] = {"Pinehollow Family Medicine", CM_ORG_CLINIC, "pinehollow",
                                "3 Pinehollow Road, Lakeside"},
    [CM_DEMO_ORG_CLINIC_BEHAVIOUR] = {"Foxfern Behavioral Health", CM_ORG_CLINIC, "foxfern",
                                      "48 Foxfern Street, Riverbend"},
    [CM_DEMO_ORG_AGENCY_ABA] = {"Brightpath Behavior Services", CM_ORG_AGENCY, "brightpath",
                                "310 Millrace Drive, Lakeside"},
    [CM_DEMO_ORG_SCHOOL_DISTRICT] = {"Willowmere Unified School District", CM_ORG_SCHOOL,
                                     "willowmere-usd", "600 Schoolhouse Row, Riverbend"},
    [CM_DEMO_ORG_SCHOOL_ELEMENTARY] = {"Thistledown Elementary School", CM_ORG_SCHOOL,
                                       "thistledown", "25 Thistledown Lane, Riverbend"},
    [CM_DEMO_ORG_SCHOOL_MIDDLE] = {"Bramblecourt Middle School", CM_ORG_SCHOOL, "bramblecourt",
                                   "140 Bramblecourt Way, Lakeside"},
    [CM_DEMO_ORG_SCHOOL_HIGH] = {"Quarrystone High School", CM_ORG_SCHOOL, "quarrystone",
                                 "9 Quarrystone Hill, Riverbend"},
    [CM_DEMO_ORG_AGENCY_EI] = {"Sproutwell Early Intervention", CM_ORG_AGENCY, "sproutwell",
                               "52 Seedling Court, Riverbend"},
    [CM_DEMO_ORG_NURSING_KINDLE] = {"Kindle Pediatric Home Nursing", CM_ORG_HOME_NURSING, "kindle",
                                    "18 Emberglow Street, Lakeside"},
    [CM_DEMO_ORG_NURSING_BLUEFINCH] = {"Bluefinch Home Care", CM_ORG_HOME_NURSING, "bluefinch",
                                       "402 Bluefinch Road, Riverbend"},
    [CM_DEMO_ORG_DME_AIRWELL] = {"Airwell Respiratory Supply", CM_ORG_DME_SUPPLIER, "airwell",
                                 "7 Bellows Industrial Park, Lakeside"},
    [CM_DEMO_ORG_DME_TIDEWATER] = {"Tidewater Medical Supply", CM_ORG_DME_SUPPLIER, "tidewater",
                                   "88 Tidewater Quay, Riverbend"},
    [CM_DEMO_ORG_DME_ROLLMARK] = {"Rollmark Mobility and Seating", CM_ORG_DME_SUPPLIER, "rollmark",
                                  "16 Spoke Street, Lakeside"},
    [CM_DEMO_ORG_DME_INFUSION] = {"Sweetbay Home Infusion and Pharmacy", CM_ORG_DME_SUPPLIER,
                                  "sweetbay", "230 Sweetbay Boulevard, Riverbend"},
    [CM_DEMO_ORG_PAYER_MEDICAID] = {"Sunmeadow Family Health Plan (Medicaid managed care)",
                                    CM_ORG_PAYER, "sunmeadow", "PO Box 0155, Riverbend"},
    [CM_DEMO_ORG_PAYER_WAIVER] = {"Medically Fragile Children's Waiver Program", CM_ORG_PAYER,
                                  "mfc-waiver", "State Office Annex, Room 0142"},
    [CM_DEMO_ORG_COMMUNITY_FOOD] = {"Hearthstone Community Food Bank", CM_ORG_COMMUNITY,
                                    "hearthstone", "61 Granary Road, Riverbend"},
    [CM_DEMO_ORG_COMMUNITY_FAMILY] = {"Kindred Hands Family Support Network", CM_ORG_COMMUNITY,
                                      "kindredhands", "12 Commons Walk, Lakeside"},
    [CM_DEMO_ORG_AGENCY_RESPITE] = {"Cradlerest Respite Services", CM_ORG_AGENCY, "cradlerest",
                                    "5 Quietwater Lane, Riverbend"},
    [CM_DEMO_ORG_COMMUNITY_RIDES] = {"Lantern Rides Medical Transportation", CM_ORG_COMMUNITY,
                                     "lanternrides", "140 Depot Street, Lakeside"},
    [CM_DEMO_ORG_COMMUNITY_LEGAL] = {"Oakhaven Legal Aid", CM_ORG_COMMUNITY, "oakhaven",
                                     "33 Courthouse Square, Riverbend"},
};

/* ---- staff ----------------------------------------------------------------------------------- */

/* The core team of Maypole 2020 Table 3 (complex care pediatrician, social worker, nurse care
 * coordinator, family navigator), with primary care, a community health worker, the program's
 * manager, an administrator and an analyst. */
const struct cmd_demo_staff_def cmd_demo_staff[CM_DEMO_STAFF_COUNT] = {
    [CM_DEMO_STAFF_ADMIN] = {"admin", "Avery Admin", CM_ROLE_ADMINISTRATOR, CM_DEMO_ORG_NONE,
                             "program administration", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_MANAGER] = {"manager", "Morgan Manager", CM_ROLE_PROGRAM_MANAGER,
                               CM_DEMO_ORG_NONE, "program management", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_ADA] = {"coord.ada", "Ada Coordinator", CM_ROLE_NURSE_CARE_COORDINATOR,
                           CM_DEMO_ORG_RIVERBEND, "care coordination", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_BEN] = {"coord.ben", "Ben Coordinator", CM_ROLE_NURSE_CARE_COORDINATOR,
                           CM_DEMO_ORG_RIVERBEND, "care coordination", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_CRUZ] = {"coord.cruz", "Cruz Coordinator", CM_ROLE_NURSE_CARE_COORDINATOR,
                            CM_DEMO_ORG_LAKESIDE, "care coordination", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_DEE] = {"coord.dee", "Dee Coordinator", CM_ROLE_NURSE_CARE_COORDINATOR,
                           CM_DEMO_ORG_LAKESIDE, "care coordination", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_ELLIS] = {"dr.ellis", "Ellis Pediatrician", CM_ROLE_COMPLEX_CARE_PEDIATRICIAN,
                             CM_DEMO_ORG_RIVERBEND, "complex care", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_FONG] = {"dr.fong", "Fong Clinician", CM_ROLE_PRIMARY_CARE_CLINICIAN,
                            CM_DEMO_ORG_LAKESIDE, "primary care", CM_SECTOR_MEDICAL},
    [CM_DEMO_STAFF_GRAY] = {"sw.gray", "Gray Social Worker", CM_ROLE_SOCIAL_WORKER,
                            CM_DEMO_ORG_RIVERBEND, "social work", CM_SECTOR_COMMUNITY},
    [CM_DEMO_STAFF_HALE] = {"nav.hale", "Hale Navigator", CM_ROLE_FAMILY_NAVIGATOR,
                            CM_DEMO_ORG_LAKESIDE, "family navigation", CM_SECTOR_FAMILY_SUPPORT},
    [CM_DEMO_STAFF_ITO] = {"chw.ito", "Ito Health Worker", CM_ROLE_COMMUNITY_HEALTH_WORKER,
                           CM_DEMO_ORG_LAKESIDE, "community health work", CM_SECTOR_COMMUNITY},
    [CM_DEMO_STAFF_JO] = {"analyst.jo", "Jo Analyst", CM_ROLE_ANALYST, CM_DEMO_ORG_NONE,
                          "population health analysis", CM_SECTOR_MEDICAL},
};

/* ---- services -------------------------------------------------------------------------------- */

#define MED   CM_SECTOR_MEDICAL
#define MH    CM_SECTOR_MENTAL_HEALTH
#define EDU   CM_SECTOR_EDUCATION
#define COMM  CM_SECTOR_COMMUNITY
#define EQUIP CM_SECTOR_EQUIPMENT_HOME
#define PAY   CM_SECTOR_PAYER
#define FAM   CM_SECTOR_FAMILY_SUPPORT

#define PERSON   CM_DEMO_KIND_PERSON
#define DOCTOR   CM_DEMO_KIND_DOCTOR
#define PERSONAL CM_DEMO_KIND_PERSONAL
#define SCHOOL   CM_DEMO_KIND_SCHOOL

#define O(x) CM_DEMO_ORG_##x

/* The specialties and services of Maypole 2020 Table 2 by ICF domain, the agencies of its Table 7
 * ("early intervention ... family support groups, occupational therapy, physical therapy, speech
 * therapy, palliative care, home nursing, DME suppliers, and accessible transportation and
 * housing"), and the payer and school coordinators of Kuo 2018's care map. School services run to
 * 21, the end of IDEA eligibility; early intervention ends at the third birthday (IDEA Part C). */
const struct cmd_demo_service_def cmd_demo_services[CM_DEMO_SVC_COUNT] = {
    [CM_DEMO_SVC_NONE] = {NULL, NULL, CM_SECTOR_NONE, O(NONE), O(NONE), PERSON, false, 0, 0},
    [CM_DEMO_SVC_PCP] = {"pediatrician (primary care)", "primary care", MED, O(CLINIC_PCP), O(NONE),
                         DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_NEUROLOGY] = {"neurologist", "neurology", MED, O(CLINIC_NEURO), O(NONE), DOCTOR,
                               false, 0, 21},
    [CM_DEMO_SVC_NEUROSURGERY] = {"neurosurgeon", "neurosurgery", MED, O(HOSP_LANTERNFIELD),
                                  O(NONE), DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_PULMONOLOGY] = {"pulmonologist", "pulmonology", MED, O(CLINIC_AIRWAY), O(NONE),
                                 DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_ENT] = {"otolaryngologist (ENT)", "ENT and airway", MED, O(CLINIC_AIRWAY), O(NONE),
                         DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_GI] = {"gastroenterologist", "gastroenterology", MED, O(CLINIC_GI), O(NONE),
                        DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_NUTRITION] = {"registered dietitian", "nutrition", MED, O(CLINIC_GI), O(NONE),
                               PERSON, false, 0, 21},
    [CM_DEMO_SVC_CARDIOLOGY] = {"cardiologist", "cardiology", MED, O(CLINIC_HEART), O(NONE), DOCTOR,
                                false, 0, 21},
    [CM_DEMO_SVC_ORTHOPEDICS] = {"orthopedic surgeon", "orthopedics", MED, O(CLINIC_ORTHO), O(NONE),
                                 DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_PMR] = {"physiatrist", "physical medicine and rehabilitation", MED,
                         O(CLINIC_ORTHO), O(NONE), DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_DEVPEDS] = {"developmental pediatrician", "developmental pediatrics", MED,
                             O(CLINIC_DEVPEDS), O(NONE), DOCTOR, false, 0, 17},
    [CM_DEMO_SVC_PALLIATIVE] = {"palliative care physician", "palliative care", MED,
                                O(HOSP_LANTERNFIELD), O(NONE), DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_UROLOGY] = {"urologist", "urology", MED, O(HOSP_COPPERBROOK), O(NONE), DOCTOR,
                             false, 0, 21},
    [CM_DEMO_SVC_GENETICS] = {"geneticist", "genetics", MED, O(HOSP_LANTERNFIELD), O(NONE), DOCTOR,
                              false, 0, 21},
    [CM_DEMO_SVC_AUDIOLOGY] = {"audiologist", "audiology", MED, O(HOSP_COPPERBROOK), O(NONE),
                               PERSON, false, 0, 21},
    [CM_DEMO_SVC_OPHTHALMOLOGY] = {"ophthalmologist", "ophthalmology", MED, O(HOSP_COPPERBROOK),
                                   O(NONE), DOCTOR, false, 0, 21},
    [CM_DEMO_SVC_DENTAL] = {"pediatric dentist", "dental care", MED, O(HOSP_COPPERBROOK), O(NONE),
                            DOCTOR, false, 1, 21},
    [CM_DEMO_SVC_PT] = {"physical therapist", "physical therapy", MED, O(CLINIC_THERAPY),
                        O(CLINIC_ORTHO), PERSON, false, 0, 21},
    [CM_DEMO_SVC_OT] = {"occupational therapist", "occupational therapy", MED, O(CLINIC_THERAPY),
                        O(CLINIC_ORTHO), PERSON, false, 0, 21},
    [CM_DEMO_SVC_SLP] = {"speech-language pathologist", "speech-language therapy", MED,
                         O(CLINIC_THERAPY), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_FEEDING] = {"feeding therapist", "feeding therapy", MED, O(CLINIC_THERAPY),
                             O(CLINIC_GI), PERSON, false, 0, 21},
    [CM_DEMO_SVC_HOSPITAL_CASE_MANAGER] = {"hospital case manager", "hospital care coordination",
                                           MED, O(HOSP_LANTERNFIELD), O(HOSP_COPPERBROOK), PERSON,
                                           true, 0, 21},
    [CM_DEMO_SVC_PSYCHOLOGY] = {"psychologist", "psychology", MH, O(CLINIC_BEHAVIOUR), O(NONE),
                                DOCTOR, false, 2, 21},
    [CM_DEMO_SVC_PSYCHIATRY] = {"child and adolescent psychiatrist", "psychiatry", MH,
                                O(CLINIC_BEHAVIOUR), O(NONE), DOCTOR, false, 8, 21},
    [CM_DEMO_SVC_ABA] = {"behaviour analyst (BCBA)", "applied behaviour analysis", MH,
                         O(AGENCY_ABA), O(NONE), PERSON, false, 2, 21},
    [CM_DEMO_SVC_FAMILY_THERAPY] = {"family therapist", "caregiver and family counselling", MH,
                                    O(CLINIC_BEHAVIOUR), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_EI_COORDINATOR] = {"early intervention service coordinator", "early intervention",
                                    EDU, O(AGENCY_EI), O(NONE), PERSON, true, 0, 2},
    [CM_DEMO_SVC_EI_THERAPIST] = {"developmental therapist", "early intervention home visits", EDU,
                                  O(AGENCY_EI), O(NONE), PERSON, false, 0, 2},
    [CM_DEMO_SVC_PRESCHOOL] = {"preschool special education teacher", "preschool special education",
                               EDU, O(SCHOOL_DISTRICT), O(NONE), PERSON, false, 3, 4},
    [CM_DEMO_SVC_SCHOOL_NURSE] = {"school nurse", "school health services", EDU, O(NONE), O(NONE),
                                  SCHOOL, false, 5, 21},
    [CM_DEMO_SVC_SPECIAL_EDUCATION] = {"special education teacher", "special education (IEP)", EDU,
                                       O(NONE), O(NONE), SCHOOL, false, 5, 21},
    [CM_DEMO_SVC_SCHOOL_COORDINATOR] = {"school care coordinator (IEP case manager)",
                                        "IEP coordination", EDU, O(NONE), O(NONE), SCHOOL, true, 3,
                                        21},
    [CM_DEMO_SVC_SCHOOL_SLP] = {"school speech-language pathologist", "school speech therapy", EDU,
                                O(NONE), O(NONE), SCHOOL, false, 3, 21},
    [CM_DEMO_SVC_SCHOOL_PT] = {"school physical therapist", "school physical therapy", EDU, O(NONE),
                               O(NONE), SCHOOL, false, 3, 21},
    [CM_DEMO_SVC_TRANSITION] = {"transition specialist", "transition to adult life", EDU,
                                O(SCHOOL_DISTRICT), O(NONE), PERSON, false, 14, 21},
    [CM_DEMO_SVC_FOOD] = {"food pantry coordinator", "food assistance", COMM, O(COMMUNITY_FOOD),
                          O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_TRANSPORT] = {"ride scheduler", "medical transportation", COMM, O(COMMUNITY_RIDES),
                               O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_LEGAL] = {"medical-legal partnership attorney", "legal aid", COMM,
                           O(COMMUNITY_LEGAL), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_BENEFITS] = {"benefits counsellor", "SSI and benefit applications", COMM,
                              O(COMMUNITY_LEGAL), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_DME_RESPIRATORY] = {"respiratory therapist (home equipment)",
                                     "tracheostomy and ventilator supplies", EQUIP, O(DME_AIRWELL),
                                     O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_DME_SUCTION] = {"DME account coordinator", "suction supplies", EQUIP,
                                 O(DME_AIRWELL), O(DME_TIDEWATER), PERSON, false, 0, 21},
    [CM_DEMO_SVC_DME_FEEDING] = {"enteral supply coordinator", "feeding pump and enteral supplies",
                                 EQUIP, O(DME_TIDEWATER), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_DME_WHEELCHAIR] = {"seating and mobility specialist", "wheelchair and seating",
                                    EQUIP, O(DME_ROLLMARK), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_HOME_NURSING] = {"home care nurse (RN)", "private duty home nursing", EQUIP,
                                  O(NURSING_KINDLE), O(NURSING_BLUEFINCH), PERSON, false, 0, 21},
    [CM_DEMO_SVC_HOME_INFUSION] = {"home infusion pharmacist", "home infusion (central line)",
                                   EQUIP, O(DME_INFUSION), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_ORTHOTICS] = {"orthotist", "orthotics (braces)", EQUIP, O(DME_ROLLMARK), O(NONE),
                               PERSON, false, 0, 21},
    [CM_DEMO_SVC_PHARMACY] = {"pharmacist", "home medication delivery", EQUIP, O(DME_INFUSION),
                              O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_PLAN_CARE_MANAGER] = {"health plan care manager", "Medicaid care management", PAY,
                                       O(PAYER_MEDICAID), O(NONE), PERSON, true, 0, 21},
    [CM_DEMO_SVC_WAIVER_CASE_MANAGER] = {"waiver case manager",
                                         "medically fragile children's waiver", PAY,
                                         O(PAYER_WAIVER), O(NONE), PERSON, true, 0, 21},
    [CM_DEMO_SVC_PRIOR_AUTH] = {"utilization review nurse", "prior authorizations", PAY,
                                O(PAYER_MEDICAID), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_PARENT_MENTOR] = {"parent mentor", "parent-to-parent support", FAM,
                                   O(COMMUNITY_FAMILY), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_RESPITE] = {"respite worker", "respite care", FAM, O(AGENCY_RESPITE), O(NONE),
                             PERSON, false, 0, 21},
    [CM_DEMO_SVC_SIBLING] = {"sibling group facilitator", "sibling support", FAM,
                             O(COMMUNITY_FAMILY), O(NONE), PERSON, false, 0, 21},
    [CM_DEMO_SVC_INFORMAL] = {"neighbour", "informal help (rides, childcare)", FAM, O(NONE),
                              O(NONE), PERSONAL, false, 0, 21},
    [CM_DEMO_SVC_FAITH] = {"faith community volunteer", "meals and visits", FAM, O(NONE), O(NONE),
                           PERSONAL, false, 0, 21},
};

/* ---- profiles -------------------------------------------------------------------------------- */

#define S(x) CM_DEMO_SVC_##x

/* Clinical pictures from the seed articles: Kuo 2018's infant with intractable epilepsy who later
 * needs school services, orthopedics, home nursing and mental health care; Maypole 2020 Table 2's
 * technology (tracheostomy/gastrostomy tube, ventilator, VP shunt, deep lines). Technology makes
 * tier 3 likelier, as in a utilisation-based stratification. */
const struct cmd_demo_profile_def cmd_demo_profiles[CM_DEMO_PROFILE_COUNT] = {
    [CM_DEMO_PROFILE_CEREBRAL_PALSY] =
        {"cerebral palsy with epilepsy, a gastrostomy tube and a wheelchair",
         CM_DEMO_TECH_GTUBE | CM_DEMO_TECH_WHEELCHAIR,
         6,
         1,
         21,
         {10, 40, 50},
         {S(NEUROLOGY), S(ORTHOPEDICS), S(PT), S(OT), S(SLP), S(NUTRITION)},
         {S(PMR), S(ORTHOTICS), S(DEVPEDS), S(FEEDING), S(OPHTHALMOLOGY), S(DENTAL), S(GI)}},
    [CM_DEMO_PROFILE_AIRWAY] =
        {"chronic lung disease of prematurity with a tracheostomy, home ventilator and "
         "gastrostomy tube",
         CM_DEMO_TECH_TRACH | CM_DEMO_TECH_VENT | CM_DEMO_TECH_GTUBE,
         3,
         0,
         12,
         {0, 15, 85},
         {S(PULMONOLOGY), S(ENT), S(GI), S(PT), S(SLP)},
         {S(DEVPEDS), S(CARDIOLOGY), S(PALLIATIVE), S(FEEDING), S(AUDIOLOGY), S(OPHTHALMOLOGY),
          S(NUTRITION)}},
    [CM_DEMO_PROFILE_SHUNT] = {"spina bifida with hydrocephalus and a VP shunt",
                               CM_DEMO_TECH_SHUNT | CM_DEMO_TECH_WHEELCHAIR,
                               2,
                               0,
                               21,
                               {15, 45, 40},
                               {S(NEUROSURGERY), S(UROLOGY), S(ORTHOPEDICS), S(PMR), S(PT)},
                               {S(OT), S(ORTHOTICS), S(NEUROLOGY), S(PSYCHOLOGY), S(NUTRITION)}},
    [CM_DEMO_PROFILE_SYNDROME_HEART] =
        {"a genetic syndrome with congenital heart disease and a feeding tube",
         CM_DEMO_TECH_GTUBE,
         3,
         0,
         21,
         {15, 40, 45},
         {S(CARDIOLOGY), S(GENETICS), S(GI), S(ENT), S(SLP)},
         {S(DEVPEDS), S(FEEDING), S(AUDIOLOGY), S(OPHTHALMOLOGY), S(PT), S(OT), S(NUTRITION)}},
    [CM_DEMO_PROFILE_INTESTINAL_FAILURE] =
        {"intestinal failure on home parenteral nutrition through a central line",
         CM_DEMO_TECH_CENTRAL_LINE | CM_DEMO_TECH_GTUBE,
         1,
         0,
         15,
         {5, 30, 65},
         {S(GI), S(NUTRITION), S(FEEDING)},
         {S(DEVPEDS), S(PSYCHOLOGY), S(SLP), S(PT)}},
    [CM_DEMO_PROFILE_AUTISM_EPILEPSY] =
        {"autism with epilepsy and behaviour that puts the child at risk",
         0,
         3,
         3,
         21,
         {40, 45, 15},
         {S(NEUROLOGY), S(DEVPEDS), S(ABA), S(PSYCHOLOGY), S(SLP), S(OT)},
         {S(PSYCHIATRY), S(FEEDING), S(DENTAL), S(NUTRITION)}},
    [CM_DEMO_PROFILE_NEUROMUSCULAR] =
        {"a neuromuscular disease with night-time ventilation, a gastrostomy tube and a power "
         "wheelchair",
         CM_DEMO_TECH_VENT | CM_DEMO_TECH_WHEELCHAIR | CM_DEMO_TECH_GTUBE,
         2,
         1,
         21,
         {5, 30, 65},
         {S(NEUROLOGY), S(PULMONOLOGY), S(PMR), S(CARDIOLOGY), S(PT), S(OT)},
         {S(PALLIATIVE), S(ORTHOPEDICS), S(ORTHOTICS), S(NUTRITION), S(GENETICS)}},
    [CM_DEMO_PROFILE_EPILEPSY_DELAY] = {"drug-resistant epilepsy with global developmental delay",
                                        0,
                                        2,
                                        0,
                                        21,
                                        {35, 45, 20},
                                        {S(NEUROLOGY), S(DEVPEDS), S(PT), S(SLP)},
                                        {S(OT), S(NUTRITION), S(PSYCHOLOGY), S(OPHTHALMOLOGY),
                                         S(GENETICS)}},
};

/* ---- names ----------------------------------------------------------------------------------- */

static const char *const child_girls[] = {
    "Amara", "Zuri",  "Priya", "Mei",  "Hana",   "Nadia", "Ivy",    "Clara", "Ruby",
    "Maya",  "Aisha", "Elena", "Noor", "Freya",  "Talia", "Leila",  "Keiko", "Ayla",
    "Sadie", "Willa", "Esme",  "Mira", "Odessa", "Wren",  "Tamsin", "Yara",  "Beatrix",
};
static const char *const child_boys[] = {
    "Kai",   "Yusuf", "Theo",   "Omar", "Felix",   "Jonah", "Arlo",  "Emeka",  "Ravi",
    "Niko",  "Tariq", "Ezra",   "Milo", "Caleb",   "Hugo",  "Idris", "Kenji",  "Otis",
    "Rowan", "Silas", "Tobias", "Amir", "Bastian", "Cyrus", "Ansel", "Jasper", "Lorcan",
};
static const char *const child_girls_es[] = {
    "Sofía",  "Valentina", "Camila", "Lucía",  "Ximena",    "Renata", "Marisol",
    "Paloma", "Itzel",     "Abril",  "Jimena", "Guadalupe", "Luz",    "Natalia",
};
static const char *const child_boys_es[] = {
    "Mateo", "Santiago", "Diego",  "Emiliano", "Joaquín", "Rafael", "Tomás",
    "Iker",  "Leonardo", "Julián", "Andrés",   "Gael",    "Bruno",  "Elías",
};
static const char *const adult_women[] = {
    "Dana", "Keisha", "Laura", "Megan",   "Tasha", "Alicia", "Beth",  "Denise",
    "Erin", "Farah",  "Gwen",  "Heidi",   "Joy",   "Kara",   "Lena",  "Monique",
    "Nina", "Paula",  "Renee", "Shanice", "Tina",  "Vera",   "Imani", "Colleen",
};
static const char *const adult_men[] = {
    "Andre", "Brian", "Derek", "Eli", "Frank", "Gabe",   "Isaac",  "Jamal",   "Kevin",  "Marcus",
    "Nate",  "Oscar", "Paul",  "Ray", "Sam",   "Trevor", "Victor", "Wendell", "Dmitri", "Kwame",
};
static const char *const adult_women_es[] = {
    "María",    "Guadalupe", "Alejandra", "Beatriz", "Claudia",  "Esperanza",
    "Gabriela", "Marisela",  "Rocío",     "Yesenia", "Verónica", "Carmen",
};
static const char *const adult_men_es[] = {
    "José",   "Jesús", "Alejandro", "Fernando", "Héctor", "Javier",
    "Miguel", "Ramón", "Rubén",     "Sergio",   "Luis",   "Carlos",
};
static const char *const pro_given[] = {
    "Alex",    "Blair",   "Casey", "Emery",  "Finley", "Harper", "Jordan", "Kendall",
    "Logan",   "Marlowe", "Noel",  "Parker", "Quinn",  "Reese",  "Sasha",  "Tatum",
    "Val",     "Winter",  "Zion",  "Samir",  "Lin",    "Tomas",  "Ingrid", "Nkechi",
    "Hiroshi", "Leona",   "Marco", "Anika",  "Bao",    "Ines",   "Olu",    "Petra",
};
static const char *const surname_prefix[] = {
    "Fern",   "Quill", "Marble", "Penny",  "Thistle", "Bramble", "Copper", "Clover",
    "Pebble", "Moss",  "Wren",   "Amber",  "Cinder",  "Dapple",  "Honey",  "Sorrel",
    "Tansy",  "Briar", "Nettle", "Puddle", "Button",  "Kettle",  "Tumble", "Juniper",
};
static const char *const surname_suffix[] = {
    "whistle", "brook",  "ton", "white",  "wick",   "thimble", "bottom", "sprout",
    "muffin",  "hopper", "dew", "pocket", "sworth", "ripple",  "lark",   "toffee",
};

const struct cmd_demo_names cmd_demo_child_girls = NAMES(child_girls);
const struct cmd_demo_names cmd_demo_child_boys = NAMES(child_boys);
const struct cmd_demo_names cmd_demo_child_girls_es = NAMES(child_girls_es);
const struct cmd_demo_names cmd_demo_child_boys_es = NAMES(child_boys_es);
const struct cmd_demo_names cmd_demo_adult_women = NAMES(adult_women);
const struct cmd_demo_names cmd_demo_adult_men = NAMES(adult_men);
const struct cmd_demo_names cmd_demo_adult_women_es = NAMES(adult_women_es);
const struct cmd_demo_names cmd_demo_adult_men_es = NAMES(adult_men_es);
const struct cmd_demo_names cmd_demo_pro_given = NAMES(pro_given);
const struct cmd_demo_names cmd_demo_surname_prefix = NAMES(surname_prefix);
const struct cmd_demo_names cmd_demo_surname_suffix = NAMES(surname_suffix);
