/*
 * demo_plan_data: what the demo's shared plans of care are made of. Data only: demo_plan.c picks
 * from these tables by the child's profile, technology, age and a seeded stream.
 *
 * Sources for what a shared plan holds: Maypole et al. 2020, Table 5 (critical core elements) and
 * Kuo et al. 2018 (family goals and team concerns merged into negotiated actions), in
 * shared/seeds. Every family-facing text has an English and a Spanish version written for the
 * reader (plain words, short sentences; Spanish with usted where it speaks to the reader), never
 * machine-translated. Medicines, doses, sizes and settings are plausible for the age and entirely
 * synthetic: they are not clinical advice. Makes of equipment are real product names so the plan
 * looks like a real one; suppliers are the demo's invented organisations.
 */
#include "cmd/demo_plan.h"

/* clang-format off */
#define T(en, es)      {en, es}
#define NONE_TEXT      {NULL, NULL}
#define S(x)           CM_DEMO_SVC_##x
#define O(x)           CM_DEMO_ORG_##x
#define LEAD           CMD_DEMO_OWNER_LEAD
#define FAMILY         CM_DEMO_SVC_NONE
#define ALL_AGES       0, 21
#define BANDS(s, m, l) {s, m, l}
#define NO_BANDS       {NULL, NULL, NULL}
#define LIST(x)        x, CM_ARRAY_LEN(x)
#define ACT(en, es, owner, icf) {T(en, es), owner, icf}
#define NONE_MILESTONE {NONE_TEXT, CM_DEMO_SVC_NONE, 0}
#define TEMPLATE(id)   {id, NONE_TEXT, NONE_TEXT, NONE_TEXT, NONE_TEXT, NONE_TEXT, NONE_TEXT}
/* The entries below put what identifies them and whom they fit first (short, on one line), then
 * their texts. */
#define PROFILE(p, variants, about_a, about_b, young_a, young_b) \
    {{about_a, about_b}, {young_a, young_b}, LIST(p##_goals), LIST(p##_concerns), p##_conditions, \
     p##_medications, p##_equipment, p##_action_plans, variants}
#define COND(code, body_system, variant, min_age, max_age, pct, description, notes) \
    {code, body_system, description, notes, variant, min_age, max_age, pct}
#define MED(name, route, prescriber, key, variant, min_age, max_age, pct, dose, dose_before, \
            schedule, purpose) \
    {name, dose, dose_before, route, schedule, purpose, prescriber, key, variant, min_age, \
     max_age, pct}
#define EQUIP(type, make, supplier, supplier_org, replace_every_days, variant, min_age, max_age, \
              pct, description, size, settings) \
    {type, description, make, size, settings, supplier, supplier_org, replace_every_days, \
     variant, min_age, max_age, pct}
/* clang-format on */

int
cmd_demo_band(int age)
{
    return age < 6 ? CMD_DEMO_BAND_SMALL : age <= 12 ? CMD_DEMO_BAND_SCHOOL : CMD_DEMO_BAND_TEEN;
}

/* ---- ICD-10-CM codes and the reference list each was taken from ------------------------------ */

/* PMCA: Simon et al. 2014, kpwhri/pmca v3.4.5 code list (dotted codes with their CMS titles).
 * CCC: Feudtner et al. 2014 / Feinstein et al. 2024 as listed by medicalcoder 0.6.0.9000, whose
 * rows carry dotted full codes; the codes found only there (status codes such as Z93.0) are given
 * with their ICD-10-CM titles. Each code below was looked up in the named file. */
#define PMCA "pmca_icd10_code_list_kpwhri.tsv"
#define CCC  "ccc_medicalcoder_0.6.0.9000_codes.tsv"

const struct cmd_demo_code cmd_demo_plan_codes[] = {
    {"G80.0", PMCA, "Spastic quadriplegic cerebral palsy"},
    {"G40.909", PMCA, "Epilepsy, unspecified, not intractable, without status epilepticus"},
    {"M41.40", PMCA, "Neuromuscular scoliosis, site unspecified"},
    {"H47.619", PMCA, "Cortical blindness, unspecified side of brain"},
    {"Z93.1", CCC, "Gastrostomy status"},
    {"P27.1", PMCA, "Bronchopulmonary dysplasia originating in the perinatal period"},
    {"J96.11", CCC, "Chronic respiratory failure with hypoxia"},
    {"J96.12", CCC, "Chronic respiratory failure with hypercapnia"},
    {"Z93.0", CCC, "Tracheostomy status"},
    {"Z99.11", CCC, "Dependence on respirator [ventilator] status"},
    {"Q05.2", PMCA, "Lumbar spina bifida with hydrocephalus"},
    {"Z98.2", CCC, "Presence of cerebrospinal fluid drainage device"},
    {"N31.9", PMCA, "Neuromuscular dysfunction of bladder, unspecified"},
    {"G82.20", PMCA, "Paraplegia, unspecified"},
    {"Q90.9", PMCA, "Down syndrome, unspecified"},
    {"Q21.2", PMCA, "Atrioventricular septal defect"},
    {"E03.9", PMCA, "Hypothyroidism, unspecified"},
    {"G47.33", PMCA, "Obstructive sleep apnea (adult) (pediatric)"},
    {"Q93.81", PMCA, "Velo-cardio-facial syndrome"},
    {"Q21.3", PMCA, "Tetralogy of Fallot"},
    {"F80.2", PMCA, "Mixed receptive-expressive language disorder"},
    {"K90.83", PMCA, "Intestinal failure"},
    {"K90.829", PMCA, "Short bowel syndrome, unspecified"},
    {"Q79.3", PMCA, "Gastroschisis"},
    {"Z95.828", CCC, "Presence of other vascular implants and grafts"},
    {"K76.89", PMCA, "Other specified diseases of liver"},
    {"F84.0", PMCA, "Autistic disorder"},
    {"F71", PMCA, "Moderate intellectual disabilities"},
    {"F90.9", PMCA, "Attention-deficit hyperactivity disorder, unspecified type"},
    {"G12.1", PMCA, "Other inherited spinal muscular atrophy"},
    {"G71.01", PMCA, "Duchenne or Becker muscular dystrophy"},
    {"I42.0", PMCA, "Dilated cardiomyopathy"},
    {"G40.824", PMCA, "Epileptic spasms, intractable, without status epilepticus"},
    {"G40.814", PMCA, "Lennox-Gastaut syndrome, intractable, without status epilepticus"},
    {"F88", PMCA, "Other disorders of psychological development"},
};
const size_t cmd_demo_plan_code_count = CM_ARRAY_LEN(cmd_demo_plan_codes);

/* ---- conditions ------------------------------------------------------------------------------ */

/* code, body system, variant, ages, chance; description; notes */
static const struct cmd_demo_condition_def c_cp =
    COND("G80.0", "neurological", 0, 0, 21, 0,
         T("Cerebral palsy: stiff muscles in both arms and both legs",
           "Parálisis cerebral: músculos rígidos en los dos brazos y las dos piernas"),
         T("Needs help to sit, move and eat. Understands more than {he} can say.",
           "Necesita ayuda para sentarse, moverse y comer. Entiende más de lo que puede decir."));
static const struct cmd_demo_condition_def c_epilepsy =
    COND("G40.909", "neurological", 0, 0, 21, 0,
         T("Epilepsy: seizures, mostly controlled with medicine",
           "Epilepsia: convulsiones, casi siempre controladas con medicina"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_scoliosis =
    COND("M41.40", "musculoskeletal", 0, 8, 21, 60,
         T("Curved spine from weak and stiff muscles (scoliosis)",
           "Columna torcida por músculos débiles y rígidos (escoliosis)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_cvi = COND(
    "H47.619", "eyes_ears", 0, 0, 21, 40,
    T("Cortical visual impairment: the eyes work, but the brain has trouble making sense of what "
      "they see",
      "Discapacidad visual cortical: los ojos funcionan, pero al cerebro le cuesta entender lo que "
      "ven"),
    T("Sees best with bright, simple objects held close.",
      "Ve mejor objetos sencillos y de colores fuertes, de cerca."));
static const struct cmd_demo_condition_def c_gtube =
    COND("Z93.1", "digestive", 0, 0, 21, 0,
         T("Has a g-tube (a feeding tube into the stomach)",
           "Tiene una sonda de gastrostomía (un tubo para comer que va al estómago)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_bpd =
    COND("P27.1", "respiratory", 0, 0, 21, 0,
         T("Chronic lung disease from being born very early (BPD)",
           "Enfermedad crónica de los pulmones por nacer muy prematuro (displasia broncopulmonar)"),
         T("Born at 25 weeks. Colds can turn serious fast.",
           "Nació a las 25 semanas. Un resfriado puede ponerse grave muy rápido."));
static const struct cmd_demo_condition_def c_resp_failure = COND(
    "J96.11", "respiratory", 0, 0, 21, 0,
    T("Long-term breathing failure: needs a ventilator to get enough oxygen",
      "Insuficiencia respiratoria de largo plazo: necesita un ventilador para tener suficiente "
      "oxígeno"),
    NONE_TEXT);
static const struct cmd_demo_condition_def c_trach =
    COND("Z93.0", "respiratory", 0, 0, 21, 0,
         T("Has a tracheostomy (trach): a breathing tube in the neck",
           "Tiene una traqueostomía: un tubo para respirar en el cuello"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_vent =
    COND("Z99.11", "respiratory", 0, 0, 21, 0,
         T("Uses a home ventilator (breathing machine)",
           "Usa un ventilador en casa (máquina para respirar)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_spina_bifida =
    COND("Q05.2", "neurological", 0, 0, 21, 0,
         T("Spina bifida low in the back, with extra fluid in the brain (hydrocephalus)",
           "Espina bífida en la parte baja de la espalda, con líquido de más en el cerebro "
           "(hidrocefalia)"),
         T("Latex-free care always.", "Siempre atención sin látex."));
static const struct cmd_demo_condition_def c_shunt = COND(
    "Z98.2", "neurological", 0, 0, 21, 0,
    T("Has a VP shunt: a thin tube that drains extra fluid from the brain to the belly",
      "Tiene una válvula de derivación (shunt): un tubo delgado que lleva el líquido de más del "
      "cerebro a la panza"),
    T("Headache, vomiting or sleepiness can mean the shunt is blocked: see the shunt plan.",
      "Dolor de cabeza, vómitos o mucho sueño pueden ser señal de que la válvula está tapada: vea "
      "el plan de la válvula."));
static const struct cmd_demo_condition_def c_bladder =
    COND("N31.9", "kidney_urinary", 0, 0, 21, 0,
         T("The bladder nerves do not work well: needs a catheter to pee",
           "Los nervios de la vejiga no funcionan bien: necesita una sonda para orinar"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_paraplegia =
    COND("G82.20", "neurological", 0, 2, 21, 0,
         T("Weak legs that cannot carry weight: uses a wheelchair",
           "Piernas débiles que no aguantan el peso: usa silla de ruedas"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_down =
    COND("Q90.9", "genetic_congenital", CMD_DEMO_VAR_A, 0, 21, 0,
         T("Down syndrome (an extra copy of chromosome 21)",
           "Síndrome de Down (una copia de más del cromosoma 21)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_avsd = COND(
    "Q21.2", "cardiovascular", CMD_DEMO_VAR_A, 0, 21, 0,
    T("Heart defect: a hole in the center of the heart (AV canal), fixed with surgery as a baby",
      "Defecto del corazón: un agujero en el centro del corazón (canal AV), operado de bebé"),
    T("Sees cardiology once a year.", "Va a cardiología una vez al año."));
static const struct cmd_demo_condition_def c_thyroid = COND(
    "E03.9", "endocrine_metabolic", CMD_DEMO_VAR_A, 0, 21, 0,
    T("Underactive thyroid: takes a pill every day", "Tiroides lenta: toma una pastilla cada día"),
    NONE_TEXT);
static const struct cmd_demo_condition_def c_osa =
    COND("G47.33", "respiratory", CMD_DEMO_VAR_A, 2, 21, 70,
         T("Stops breathing for short times in sleep (sleep apnea)",
           "Deja de respirar por ratos cortos al dormir (apnea del sueño)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_22q =
    COND("Q93.81", "genetic_congenital", CMD_DEMO_VAR_B, 0, 21, 0,
         T("22q11.2 deletion syndrome: a small piece of chromosome 22 is missing",
           "Síndrome de deleción 22q11.2: falta un pedacito del cromosoma 22"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_tof =
    COND("Q21.3", "cardiovascular", CMD_DEMO_VAR_B, 0, 21, 0,
         T("Tetralogy of Fallot: a heart defect, fixed with surgery as a baby",
           "Tetralogía de Fallot: un defecto del corazón, operado de bebé"),
         T("Will need a new heart valve when older.",
           "Va a necesitar una válvula nueva del corazón cuando sea mayor."));
static const struct cmd_demo_condition_def c_language =
    COND("F80.2", "mental_behavioural", CMD_DEMO_VAR_B, 2, 21, 70,
         T("Slow to understand and use words", "Le cuesta entender y usar palabras"), NONE_TEXT);
static const struct cmd_demo_condition_def c_if =
    COND("K90.83", "digestive", 0, 0, 21, 0,
         T("Intestinal failure: the gut cannot take in enough food and water",
           "Falla intestinal: el intestino no puede absorber suficiente comida y agua"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_short_bowel =
    COND("K90.829", "digestive", 0, 0, 21, 0,
         T("Short bowel: part of the small intestine was removed as a baby",
           "Intestino corto: le quitaron parte del intestino delgado de bebé"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_gastroschisis =
    COND("Q79.3", "genetic_congenital", 0, 0, 21, 0,
         T("Born with the intestines outside the belly (gastroschisis)",
           "Nació con los intestinos fuera de la panza (gastrosquisis)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_central_line =
    COND("Z95.828", "digestive", 0, 0, 21, 0,
         T("Has a central line (a long IV in a large vein near the heart)",
           "Tiene un catéter central (una vía larga en una vena grande cerca del corazón)"),
         T("Fever is an emergency: see the fever plan.",
           "La fiebre es una emergencia: vea el plan para la fiebre."));
static const struct cmd_demo_condition_def c_liver =
    COND("K76.89", "digestive", 0, 2, 21, 50,
         T("Liver stress from long-term IV nutrition", "Daño al hígado por la nutrición por vena"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_autism =
    COND("F84.0", "mental_behavioural", 0, 0, 21, 0,
         T("Autism: uses few words, needs routines, upset by noise and change",
           "Autismo: usa pocas palabras, necesita rutinas y le molestan el ruido y los cambios"),
         T("Calms with headphones and a weighted blanket.",
           "Se calma con audífonos y una cobija con peso."));
static const struct cmd_demo_condition_def c_id =
    COND("F71", "mental_behavioural", 0, 5, 21, 60,
         T("Intellectual disability: learns slowly and needs help with daily tasks",
           "Discapacidad intelectual: aprende despacio y necesita ayuda con las tareas diarias"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_adhd = COND(
    "F90.9", "mental_behavioural", 0, 6, 21, 40,
    T("ADHD: hard to sit still and focus", "TDAH: le cuesta quedarse quiet{o} y poner atención"),
    NONE_TEXT);
static const struct cmd_demo_condition_def c_sma =
    COND("G12.1", "neurological", CMD_DEMO_VAR_A, 0, 21, 0,
         T("Spinal muscular atrophy (SMA): weak muscles that get weaker over time",
           "Atrofia muscular espinal (AME): músculos débiles que se debilitan con el tiempo"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_dmd =
    COND("G71.01", "neurological", CMD_DEMO_VAR_B, 0, 21, 0,
         T("Duchenne muscular dystrophy: muscles get weaker over time",
           "Distrofia muscular de Duchenne: los músculos se debilitan con el tiempo"),
         T("Steroids every day: never stop them suddenly.",
           "Esteroides todos los días: nunca suspenderlos de golpe."));
static const struct cmd_demo_condition_def c_cardiomyopathy =
    COND("I42.0", "cardiovascular", CMD_DEMO_VAR_B, 10, 21, 70,
         T("Weak, enlarged heart muscle (cardiomyopathy)",
           "Músculo del corazón débil y grande (miocardiopatía)"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_nmd_breathing =
    COND("J96.12", "respiratory", 0, 0, 21, 0,
         T("Weak breathing muscles: carbon dioxide builds up in sleep",
           "Músculos de la respiración débiles: se acumula dióxido de carbono al dormir"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_spasms =
    COND("G40.824", "neurological", CMD_DEMO_VAR_A, 0, 21, 0,
         T("Infantile spasms: seizures in clusters that are hard to control",
           "Espasmos infantiles: convulsiones en grupos, difíciles de controlar"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_lgs =
    COND("G40.814", "neurological", CMD_DEMO_VAR_B, 0, 21, 0,
         T("Lennox-Gastaut syndrome: many seizures a day, of several kinds, hard to control",
           "Síndrome de Lennox-Gastaut: muchas convulsiones al día, de varios tipos, difíciles de "
           "controlar"),
         T("Drop seizures: wears a soft helmet.", "Convulsiones con caída: usa un casco suave."));
static const struct cmd_demo_condition_def c_gdd =
    COND("F88", "mental_behavioural", 0, 0, 4, 0,
         T("Global developmental delay: learning, moving and talking come slowly",
           "Retraso global del desarrollo: aprender, moverse y hablar llegan despacio"),
         NONE_TEXT);
static const struct cmd_demo_condition_def c_id_severe =
    COND("F71", "mental_behavioural", 0, 5, 21, 0,
         T("Intellectual disability: needs help with most daily tasks",
           "Discapacidad intelectual: necesita ayuda con casi todas las tareas diarias"),
         NONE_TEXT);

/* ---- medications ----------------------------------------------------------------------------- */

/* Texts shared by several medicines. Macros, not const variables: a const object is not a
 * constant expression in C, and clang (rightly) refuses one in a static initializer. */
#define TWICE_A_DAY                                                                                \
    T("Twice a day, 8 am and 8 pm", "Dos veces al día, a las 8 de la mañana y a las 8 de la "    \
                                    "noche")
#define PREVENT_SEIZURES T("to prevent seizures", "para prevenir las convulsiones")
#define RESCUE_SCHEDULE                                                                            \
    T("Only for a seizure that lasts 5 minutes or more. Then call 911.",                           \
      "Solo si una convulsión dura 5 minutos o más. Después llame al 911.")
#define RESCUE_PURPOSE                                                                             \
    T("rescue medicine to stop a long seizure",                                                    \
      "medicina de rescate para parar una convulsión larga")

static const struct cmd_demo_medication_def m_levetiracetam =
    MED("Levetiracetam (Keppra) 100 mg/mL liquid", NULL, S(NEUROLOGY), true, 0, 0, 21, 0,
        BANDS("200 mg (2 mL)", "400 mg (4 mL)", "750 mg (7.5 mL)"),
        BANDS("150 mg (1.5 mL)", "300 mg (3 mL)", "500 mg (5 mL)"), TWICE_A_DAY, PREVENT_SEIZURES);
static const struct cmd_demo_medication_def m_baclofen =
    MED("Baclofen 1 mg/mL liquid", NULL, S(PMR), true, 0, 1, 21, 0,
        BANDS("2.5 mg (2.5 mL)", "5 mg (5 mL)", "10 mg (10 mL)"), NO_BANDS,
        T("3 times a day. Never stop it suddenly.", "3 veces al día. Nunca la suspenda de golpe."),
        T("to relax stiff muscles", "para relajar los músculos rígidos"));
static const struct cmd_demo_medication_def m_diastat =
    MED("Diazepam rectal gel (Diastat)", "rectal", S(NEUROLOGY), true, 0, 2, 21, 0,
        BANDS("5 mg", "10 mg", "12.5 mg"), NO_BANDS, RESCUE_SCHEDULE, RESCUE_PURPOSE);
static const struct cmd_demo_medication_def m_glycopyrrolate =
    MED("Glycopyrrolate 1 mg/5 mL liquid", NULL, S(PMR), false, 0, 3, 21, 50,
        BANDS("0.5 mg (2.5 mL)", "1 mg (5 mL)", "1.5 mg (7.5 mL)"), NO_BANDS,
        T("3 times a day", "3 veces al día"), T("to dry up drooling", "para que babee menos"));
static const struct cmd_demo_medication_def m_miralax =
    MED("Polyethylene glycol 3350 (MiraLAX)", NULL, CM_DEMO_SVC_NONE, false, 0, 1, 21, 70,
        BANDS("4 g (1/4 capful) in 60 mL of water", "8.5 g (1/2 capful) in 120 mL of water",
              "17 g (1 capful) in 240 mL of water"),
        NO_BANDS,
        T("Once a day. Skip a day if stools are loose.",
          "Una vez al día. Sáltese un día si la popó está aguada."),
        T("to keep stools soft", "para que la popó salga blanda"));
static const struct cmd_demo_medication_def m_omeprazole = MED(
    "Omeprazole 2 mg/mL liquid", NULL, S(GI), false, 0, 0, 21, 0,
    BANDS("5 mg (2.5 mL)", "10 mg (5 mL)", "20 mg (10 mL)"), NO_BANDS,
    T("Once a day, 30 minutes before the morning feed",
      "Una vez al día, 30 minutos antes de la comida de la mañana"),
    T("for reflux (stomach acid coming up)", "para el reflujo (el ácido del estómago que sube)"));
static const struct cmd_demo_medication_def m_budesonide =
    MED("Budesonide (Pulmicort) 0.5 mg/2 mL for the nebulizer", "inhaled", S(PULMONOLOGY), false, 0,
        0, 21, 0, BANDS("0.5 mg (1 vial)", "0.5 mg (1 vial)", "1 mg (2 vials)"), NO_BANDS,
        T("Twice a day, through the trach with the nebulizer",
          "Dos veces al día, por la traqueostomía con el nebulizador"),
        T("to calm swelling in the lungs", "para bajar la inflamación de los pulmones"));
static const struct cmd_demo_medication_def m_albuterol =
    MED("Albuterol HFA inhaler, 90 mcg a puff", "inhaled", S(PULMONOLOGY), true, 0, 0, 21, 0,
        BANDS("2 puffs", "4 puffs", "4 puffs"), NO_BANDS,
        T("Every 4 hours when needed for wheezing or hard breathing, with the spacer on the trach",
          "Cada 4 horas si hace falta, por silbidos o respiración difícil, con la cámara en la "
          "traqueostomía"),
        T("to open the airways", "para abrir las vías respiratorias"));
static const struct cmd_demo_medication_def m_chlorothiazide =
    MED("Chlorothiazide (Diuril) 250 mg/5 mL", NULL, S(PULMONOLOGY), false, 0, 0, 21, 0,
        BANDS("60 mg (1.2 mL)", "125 mg (2.5 mL)", "250 mg (5 mL)"),
        BANDS("50 mg (1 mL)", "100 mg (2 mL)", "200 mg (4 mL)"), TWICE_A_DAY,
        T("to keep extra fluid out of the lungs", "para que no se junte líquido en los pulmones"));
static const struct cmd_demo_medication_def m_saline =
    MED("Sodium chloride 3% for the nebulizer", "inhaled", S(PULMONOLOGY), false, 0, 0, 21, 60,
        BANDS("4 mL", "4 mL", "4 mL"), NO_BANDS,
        T("Twice a day, and more when the mucus is thick",
          "Dos veces al día, y más seguido cuando la flema está espesa"),
        T("to loosen thick mucus", "para aflojar la flema espesa"));
static const struct cmd_demo_medication_def m_multivitamin =
    MED("Multivitamin with iron (Poly-Vi-Sol with Iron)", NULL, S(NUTRITION), false, 0, 0, 5, 70,
        BANDS("1 mL", NULL, NULL), NO_BANDS, T("Once a day", "Una vez al día"),
        T("vitamins and iron for growth", "vitaminas y hierro para crecer"));
static const struct cmd_demo_medication_def m_oxybutynin =
    MED("Oxybutynin 5 mg/5 mL liquid", "by_mouth", S(UROLOGY), false, 0, 0, 21, 0,
        BANDS("1 mg (1 mL)", "2.5 mg (2.5 mL)", "5 mg (5 mL)"), NO_BANDS, TWICE_A_DAY,
        T("to relax the bladder so it holds urine and stays dry",
          "para relajar la vejiga, que aguante la orina y se mantenga seca"));
static const struct cmd_demo_medication_def m_senna =
    MED("Senna 8.8 mg/5 mL liquid", "by_mouth", CM_DEMO_SVC_NONE, false, 0, 2, 21, 70,
        BANDS("2.5 mL", "5 mL", "10 mL"), NO_BANDS,
        T("Once a day at bedtime, part of the bowel program",
          "Una vez al día antes de dormir, como parte del programa para evacuar"),
        T("to help with a poop every day", "para ayudarle a hacer popó todos los días"));
static const struct cmd_demo_medication_def m_vitamin_d =
    MED("Vitamin D3 (cholecalciferol)", NULL, CM_DEMO_SVC_NONE, false, 0, 0, 21, 60,
        BANDS("400 units", "1,000 units", "1,000 units"), NO_BANDS,
        T("Once a day", "Una vez al día"), T("for strong bones", "para tener huesos fuertes"));
static const struct cmd_demo_medication_def m_furosemide =
    MED("Furosemide (Lasix) 10 mg/mL", NULL, S(CARDIOLOGY), true, 0, 0, 21, 0,
        BANDS("4 mg (0.4 mL)", "10 mg (1 mL)", "20 mg (2 mL)"), NO_BANDS,
        T("Once a day in the morning", "Una vez al día en la mañana"),
        T("to remove extra fluid so the heart works less hard",
          "para sacar el líquido de más y que el corazón trabaje menos"));
static const struct cmd_demo_medication_def m_enalapril = MED(
    "Enalapril 1 mg/mL liquid", NULL, S(CARDIOLOGY), true, 0, 0, 21, 0,
    BANDS("0.5 mg (0.5 mL)", "2.5 mg (2.5 mL)", "5 mg (5 mL)"),
    BANDS("0.3 mg (0.3 mL)", "2 mg (2 mL)", "4 mg (4 mL)"), TWICE_A_DAY,
    T("to help the heart pump more easily", "para ayudar al corazón a bombear con menos esfuerzo"));
static const struct cmd_demo_medication_def m_levothyroxine =
    MED("Levothyroxine (Synthroid) tablet", NULL, CM_DEMO_SVC_NONE, false, CMD_DEMO_VAR_A, 0, 21, 0,
        BANDS("25 mcg", "50 mcg", "75 mcg"), NO_BANDS,
        T("Once a day in the morning, crushed in 5 mL of water, apart from iron",
          "Una vez al día en la mañana, molida en 5 mL de agua, lejos del hierro"),
        T("for an underactive thyroid", "para la tiroides lenta"));
static const struct cmd_demo_medication_def m_pn = MED(
    "Parenteral nutrition (IV nutrition), made by the pharmacy", "iv", S(GI), true, 0, 0, 21, 0,
    BANDS("1 bag a night, as labeled", "1 bag a night, as labeled", "1 bag a night, as labeled"),
    NO_BANDS,
    T("Over 12 hours each night, 7 pm to 7 am, on the pump",
      "Durante 12 horas cada noche, de 7 de la noche a 7 de la mañana, con la bomba"),
    T("food and water through the central line", "comida y agua por el catéter central"));
static const struct cmd_demo_medication_def m_lipids = MED(
    "Fish oil lipid emulsion (Omegaven) 10%", "iv", S(GI), false, 0, 0, 21, 0,
    BANDS("As labeled, with the PN", "As labeled, with the PN", "As labeled, with the PN"),
    NO_BANDS,
    T("With the IV nutrition, 4 nights a week (Mon, Wed, Fri, Sun)",
      "Con la nutrición por vena, 4 noches por semana (lun, mié, vie, dom)"),
    T("fats for growth that are gentle on the liver", "grasas para crecer que cuidan el hígado"));
static const struct cmd_demo_medication_def m_heparin =
    MED("Heparin lock flush 10 units/mL", "iv", S(GI), true, 0, 0, 21, 0,
        BANDS("3 mL", "3 mL", "5 mL"), NO_BANDS,
        T("Each morning when the IV nutrition is disconnected",
          "Cada mañana al desconectar la nutrición por vena"),
        T("to keep the line from clotting", "para que el catéter no se tape"));
static const struct cmd_demo_medication_def m_loperamide =
    MED("Loperamide 1 mg/7.5 mL liquid", NULL, S(GI), false, 0, 1, 21, 70,
        BANDS("0.5 mg (3.75 mL)", "1 mg (7.5 mL)", "2 mg (15 mL)"),
        BANDS("0.25 mg (1.9 mL)", "0.5 mg (3.75 mL)", "1 mg (7.5 mL)"),
        T("3 times a day", "3 veces al día"),
        T("to slow down watery stools", "para que la popó sea menos aguada"));
static const struct cmd_demo_medication_def m_ursodiol =
    MED("Ursodiol 60 mg/mL liquid", NULL, S(GI), false, 0, 0, 21, 70,
        BANDS("60 mg (1 mL)", "150 mg (2.5 mL)", "300 mg (5 mL)"), NO_BANDS, TWICE_A_DAY,
        T("to protect the liver", "para proteger el hígado"));
static const struct cmd_demo_medication_def m_lamotrigine =
    MED("Lamotrigine (Lamictal) tablet", "by_mouth", S(NEUROLOGY), true, 0, 0, 21, 0,
        BANDS("25 mg", "50 mg", "100 mg"), BANDS("12.5 mg", "25 mg", "75 mg"), TWICE_A_DAY,
        PREVENT_SEIZURES);
static const struct cmd_demo_medication_def m_risperidone =
    MED("Risperidone 1 mg/mL liquid", "by_mouth", S(PSYCHIATRY), false, 0, 5, 21, 50,
        BANDS("0.25 mg (0.25 mL)", "0.5 mg (0.5 mL)", "1 mg (1 mL)"), NO_BANDS,
        T("Once a day at bedtime", "Una vez al día antes de dormir"),
        T("to help with big outbursts and self-hurting",
          "para ayudar con las crisis fuertes y cuando se lastima"));
static const struct cmd_demo_medication_def m_melatonin =
    MED("Melatonin", NULL, S(DEVPEDS), false, 0, 2, 21, 60, BANDS("1 mg", "3 mg", "5 mg"), NO_BANDS,
        T("At bedtime", "Antes de dormir"), T("to help with sleep", "para ayudarle a dormir"));
static const struct cmd_demo_medication_def m_diastat_small =
    MED("Diazepam rectal gel (Diastat)", "rectal", S(NEUROLOGY), true, 0, 2, 5, 0,
        BANDS("5 mg", NULL, NULL), NO_BANDS, RESCUE_SCHEDULE, RESCUE_PURPOSE);
static const struct cmd_demo_medication_def m_valtoco =
    MED("Diazepam nasal spray (Valtoco)", "nose", S(NEUROLOGY), true, 0, 6, 21, 0,
        BANDS(NULL, "10 mg (1 spray)", "15 mg (2 sprays, one in each nostril)"), NO_BANDS,
        RESCUE_SCHEDULE, RESCUE_PURPOSE);
static const struct cmd_demo_medication_def m_risdiplam = MED(
    "Risdiplam (Evrysdi) 0.75 mg/mL", NULL, S(NEUROLOGY), false, CMD_DEMO_VAR_A, 0, 21, 0,
    BANDS("3 mg (4 mL)", "5 mg (6.6 mL)", "5 mg (6.6 mL)"), NO_BANDS,
    T("Once a day after breakfast, at the same time each day",
      "Una vez al día después del desayuno, a la misma hora cada día"),
    T("to slow down the muscle disease (SMA)", "para frenar la enfermedad de los músculos (AME)"));
static const struct cmd_demo_medication_def m_deflazacort = MED(
    "Deflazacort (Emflaza) tablet", NULL, S(NEUROLOGY), true, CMD_DEMO_VAR_B, 0, 21, 0,
    BANDS("12 mg", "18 mg", "30 mg"), NO_BANDS,
    T("Once a day in the morning. Never stop it suddenly. Needs an extra dose when very sick or "
      "for surgery.",
      "Una vez al día en la mañana. Nunca lo suspenda de golpe. Necesita una dosis extra si está "
      "muy enferm{o} o para una cirugía."),
    T("steroid to keep the muscles strong longer",
      "esteroide para que los músculos sigan fuertes más tiempo"));
static const struct cmd_demo_medication_def m_lisinopril =
    MED("Lisinopril tablet", NULL, S(CARDIOLOGY), true, CMD_DEMO_VAR_B, 10, 21, 0,
        BANDS(NULL, "2.5 mg", "5 mg"), NO_BANDS, T("Once a day", "Una vez al día"),
        T("to protect the heart muscle", "para proteger el músculo del corazón"));
static const struct cmd_demo_medication_def m_vigabatrin =
    MED("Vigabatrin (Sabril) powder, mixed in water", NULL, S(NEUROLOGY), true, CMD_DEMO_VAR_A, 0,
        2, 0, BANDS("500 mg", NULL, NULL), BANDS("375 mg", NULL, NULL), TWICE_A_DAY,
        T("to stop infantile spasms", "para parar los espasmos infantiles"));
static const struct cmd_demo_medication_def m_clobazam =
    MED("Clobazam (Onfi) 2.5 mg/mL liquid", NULL, S(NEUROLOGY), true, CMD_DEMO_VAR_B, 2, 21, 0,
        BANDS("5 mg (2 mL)", "10 mg (4 mL)", "20 mg (8 mL)"),
        BANDS("2.5 mg (1 mL)", "5 mg (2 mL)", "10 mg (4 mL)"), TWICE_A_DAY, PREVENT_SEIZURES);
static const struct cmd_demo_medication_def m_valproate =
    MED("Valproic acid (Depakene) 250 mg/5 mL", NULL, S(NEUROLOGY), true, CMD_DEMO_VAR_B, 3, 21, 0,
        BANDS("125 mg (2.5 mL)", "250 mg (5 mL)", "500 mg (10 mL)"), NO_BANDS,
        T("Twice a day. Blood tests every 3 months.",
          "Dos veces al día. Análisis de sangre cada 3 meses."),
        PREVENT_SEIZURES);
static const struct cmd_demo_medication_def m_rufinamide =
    MED("Rufinamide (Banzel) 40 mg/mL liquid", NULL, S(NEUROLOGY), true, CMD_DEMO_VAR_B, 4, 21, 60,
        BANDS("200 mg (5 mL)", "400 mg (10 mL)", "800 mg (20 mL)"), NO_BANDS,
        T("Twice a day, with food", "Dos veces al día, con comida"),
        T("to prevent drop seizures", "para prevenir las convulsiones con caída"));
static const struct cmd_demo_medication_def m_nayzilam =
    MED("Midazolam nasal spray (Nayzilam)", "nose", S(NEUROLOGY), true, 0, 12, 21, 0,
        BANDS(NULL, NULL, "5 mg (1 spray)"), NO_BANDS, RESCUE_SCHEDULE, RESCUE_PURPOSE);

/* ---- equipment ------------------------------------------------------------------------------- */

static const struct cmd_demo_equipment_def e_trach_bivona =
    EQUIP("tracheostomy", "Bivona", S(DME_RESPIRATORY), O(DME_AIRWELL), 28, 0, 0, 21, 0,
          T("Trach tube. Keep a spare the same size and one a size smaller in the go-bag.",
            "Tubo de traqueostomía. Lleve uno de repuesto del mismo tamaño y uno más chico en la "
            "mochila de emergencia."),
          BANDS("3.5 uncuffed", "4.5 uncuffed", "5.5 cuffed (cuff down in the day)"), NO_BANDS);
static const struct cmd_demo_equipment_def e_vent_trach = EQUIP(
    "ventilator", "Philips Trilogy Evo", S(DME_RESPIRATORY), O(DME_AIRWELL), 0, 0, 0, 21, 0,
    T("Home ventilator, with a second ventilator and a spare battery. Alarms always on.",
      "Ventilador en casa, con un segundo ventilador y una batería de repuesto. Las alarmas "
      "siempre prendidas."),
    NO_BANDS,
    BANDS("PC-SIMV: rate 24, PIP 26, PEEP 7, Ti 0.7 s. Oxygen 0.5-1 L/min to keep SpO2 92% or "
          "more. 24 hours a day.",
          "PC-SIMV: rate 20, PIP 24, PEEP 6, Ti 0.8 s. Oxygen 0-1 L/min to keep SpO2 92% or more. "
          "Night and naps; off (HME) up to 4 hours in the day.",
          "PC-AC: rate 16, PIP 22, PEEP 6, Ti 0.9 s. Room air. Night only; HME in the day."));
static const struct cmd_demo_equipment_def e_vent_mask = EQUIP(
    "ventilator", "ResMed Astral 150", S(DME_RESPIRATORY), O(DME_AIRWELL), 0, 0, 0, 21, 0,
    T("Breathing machine with a nose mask, for sleep and naps, and more when sick.",
      "Máquina para respirar con mascarilla nasal, para dormir y las siestas, y más cuando está "
      "enferm{o}."),
    NO_BANDS,
    BANDS("ST mode: IPAP 12, EPAP 5, backup rate 20, nasal mask.",
          "ST mode: IPAP 14, EPAP 5, backup rate 16, nasal mask.",
          "ST mode: IPAP 16, EPAP 6, backup rate 14, nasal mask."));
static const struct cmd_demo_equipment_def e_suction =
    EQUIP("suction", "Drive Vacu-Aide QSU", S(DME_SUCTION), O(DME_AIRWELL), 0, 0, 0, 21, 0,
          T("Portable suction machine with a battery, for the trach.",
            "Aparato portátil de succión con batería, para la traqueostomía."),
          BANDS("8 Fr catheters", "8 Fr catheters", "10 Fr catheters"),
          BANDS("80-100 mmHg. Pass the catheter only to the marked depth.",
                "80-120 mmHg. Pass the catheter only to the marked depth.",
                "100-120 mmHg. Pass the catheter only to the marked depth."));
static const struct cmd_demo_equipment_def e_suction_catheters = EQUIP(
    "suction", "Argyle suction catheter kits", S(DME_SUCTION), O(DME_TIDEWATER), 0, 0, 0, 21, 0,
    T("Suction catheters, pre-measured, one for each time.",
      "Sondas de succión ya medidas, una para cada vez."),
    BANDS("8 Fr", "8 Fr", "10 Fr"), NO_BANDS);
static const struct cmd_demo_equipment_def e_oxygen = EQUIP(
    "oxygen", "Invacare Perfecto2 concentrator, E tanks", S(DME_RESPIRATORY), O(DME_AIRWELL), 0, 0,
    0, 21, 0,
    T("Oxygen at home and small tanks for going out.",
      "Oxígeno en casa y tanques chicos para salir."),
    NO_BANDS,
    BANDS("0.5-1 L/min into the ventilator circuit; up to 2 L/min as the breathing plan says.",
          "0-1 L/min into the ventilator circuit; up to 2 L/min as the breathing plan says.",
          "Room air most days; up to 2 L/min as the breathing plan says."));
static const struct cmd_demo_equipment_def e_oximeter =
    EQUIP("pulse_oximeter", "Masimo Rad-8", S(DME_RESPIRATORY), O(DME_AIRWELL), 0, 0, 0, 21, 80,
          T("Oxygen monitor on the foot or finger, on during sleep.",
            "Monitor de oxígeno en el pie o el dedo, puesto al dormir."),
          NO_BANDS,
          BANDS("Alarm below SpO2 90% or heart rate below 80 or above 180.",
                "Alarm below SpO2 90% or heart rate below 60 or above 150.",
                "Alarm below SpO2 90% or heart rate below 50 or above 130."));
static const struct cmd_demo_equipment_def e_nebulizer = EQUIP(
    "nebulizer", "Pari Trek S", S(DME_RESPIRATORY), O(DME_AIRWELL), 180, 0, 0, 21, 60,
    T("Nebulizer for breathing medicines, with a trach mask.",
      "Nebulizador para las medicinas que se respiran, con mascarilla para la traqueostomía."),
    NO_BANDS, NO_BANDS);
static const struct cmd_demo_equipment_def e_gtube_mickey = EQUIP(
    "gastrostomy", "MIC-KEY low-profile balloon button", S(DME_FEEDING), O(DME_TIDEWATER), 90, 0, 0,
    21, 0,
    T("Feeding tube button in the belly. Spare button and a 60 mL syringe in the go-bag.",
      "Botón de la sonda en la panza. Lleve un botón de repuesto y una jeringa de 60 mL en la "
      "mochila."),
    BANDS("14 Fr 1.5 cm", "14 Fr 1.7 cm", "18 Fr 2.5 cm"),
    BANDS("Balloon: 3 mL sterile water, checked every week.",
          "Balloon: 5 mL sterile water, checked every week.",
          "Balloon: 5 mL sterile water, checked every week."));
static const struct cmd_demo_equipment_def e_gtube_mini = EQUIP(
    "gastrostomy", "AMT MiniONE balloon button", S(DME_FEEDING), O(DME_TIDEWATER), 90, 0, 0, 21, 0,
    T("Feeding tube button in the belly. Spare button and a 60 mL syringe in the go-bag.",
      "Botón de la sonda en la panza. Lleve un botón de repuesto y una jeringa de 60 mL en la "
      "mochila."),
    BANDS("12 Fr 1.2 cm", "14 Fr 2.0 cm", "16 Fr 2.5 cm"),
    BANDS("Balloon: 3 mL sterile water, checked every week.",
          "Balloon: 4 mL sterile water, checked every week.",
          "Balloon: 5 mL sterile water, checked every week."));
static const struct cmd_demo_equipment_def e_pump = EQUIP(
    "feeding_pump", "Kangaroo Joey", S(DME_FEEDING), O(DME_TIDEWATER), 0, 0, 0, 21, 0,
    T("Feeding pump and bags. Flush the tube with 10 mL of water before and after medicines.",
      "Bomba de alimentación y bolsas. Enjuague la sonda con 10 mL de agua antes y después de las "
      "medicinas."),
    NO_BANDS,
    BANDS("PediaSure Peptide 1.0: 45 mL an hour for 10 hours at night; 90 mL 3 times in the day.",
          "PediaSure 1.5 with fiber: 60 mL an hour for 10 hours at night, 8 pm to 6 am.",
          "Compleat Pediatric: 240 mL 4 times a day; at night 80 mL an hour for 8 hours."));
static const struct cmd_demo_equipment_def e_pump_if =
    EQUIP("feeding_pump", "Moog Infinity", S(DME_FEEDING), O(DME_TIDEWATER), 0, 0, 0, 21, 0,
          T("Feeding pump for slow tube feeds in the day. Flush with 10 mL of water after.",
            "Bomba para la alimentación lenta por sonda en el día. Enjuague con 10 mL de agua "
            "después."),
          NO_BANDS,
          BANDS("Elecare Jr: 20 mL an hour for 10 hours in the day.",
                "Elecare Jr: 35 mL an hour for 10 hours in the day.",
                "Peptamen 1.5: 50 mL an hour for 10 hours in the day."));
static const struct cmd_demo_equipment_def e_central_line = EQUIP(
    "other", "Bard Broviac", S(HOME_INFUSION), O(DME_INFUSION), 7, 0, 0, 21, 0,
    T("Central line (tunneled). The nurse changes the dressing every 7 days. Clamp it and call if "
      "it leaks or breaks.",
      "Catéter central (tunelizado). La enfermera cambia el vendaje cada 7 días. Si gotea o se "
      "rompe, ciérrelo con la pinza y llame."),
    BANDS("4.2 Fr single lumen", "6.6 Fr single lumen", "6.6 Fr single lumen"), NO_BANDS);
static const struct cmd_demo_equipment_def e_iv_pump = EQUIP(
    "other", "CADD-Solis VIP infusion pump", S(HOME_INFUSION), O(DME_INFUSION), 0, 0, 0, 21, 0,
    T("IV pump for the night nutrition, in a backpack.",
      "Bomba para la nutrición de la noche, en una mochila."),
    NO_BANDS,
    BANDS("PN over 12 hours, 1-hour taper up and down.",
          "PN over 12 hours, 1-hour taper up and down.",
          "PN over 10 hours, 1-hour taper up and down."));
static const struct cmd_demo_equipment_def e_shunt_valve = EQUIP(
    "other", "Codman Certas Plus", CM_DEMO_SVC_NONE, O(NONE), 0, 0, 0, 21, 0,
    T("VP shunt with a programmable valve. After any MRI, neurosurgery must check the setting.",
      "Válvula de derivación programable. Después de una resonancia, neurocirugía debe revisar el "
      "ajuste."),
    NO_BANDS, BANDS("Valve setting 4", "Valve setting 5", "Valve setting 5"));
static const struct cmd_demo_equipment_def e_catheters = EQUIP(
    "other", "SpeediCath hydrophilic catheters", S(DME_FEEDING), O(DME_TIDEWATER), 0, 0, 0, 21, 0,
    T("Urine catheters, used 5 times a day. Latex-free.",
      "Sondas para orinar, se usan 5 veces al día. Sin látex."),
    BANDS("8 Fr", "10 Fr", "12 Fr"), NO_BANDS);
static const struct cmd_demo_equipment_def e_chair_tilt = EQUIP(
    "wheelchair", "Ki Mobility Focus CR", S(DME_WHEELCHAIR), O(DME_ROLLMARK), 1825, 0, 3, 21, 0,
    T("Tilt-in-space wheelchair with a head rest, lap belt and chest harness.",
      "Silla de ruedas que se inclina, con apoyo para la cabeza, cinturón y arnés de pecho."),
    BANDS("12 in seat", "14 in seat", "16 in seat"),
    BANDS("Tilt 20-30 degrees to rest.", "Tilt 20-30 degrees to rest.",
          "Tilt 20-30 degrees to rest."));
static const struct cmd_demo_equipment_def e_stroller =
    EQUIP("wheelchair", "Convaid Cruiser", S(DME_WHEELCHAIR), O(DME_ROLLMARK), 1095, 0, 1, 2, 0,
          T("Adaptive stroller with a tilt seat and head support.",
            "Carriola especial con asiento que se inclina y apoyo para la cabeza."),
          BANDS("CX10", NULL, NULL), NO_BANDS);
static const struct cmd_demo_equipment_def e_chair_manual =
    EQUIP("wheelchair", "TiLite Aero Z", S(DME_WHEELCHAIR), O(DME_ROLLMARK), 1825, 0, 3, 21, 0,
          T("Light manual wheelchair with a pressure cushion.",
            "Silla de ruedas manual ligera, con cojín para la presión."),
          BANDS("12 in seat", "14 in seat", "16 in seat"), NO_BANDS);
static const struct cmd_demo_equipment_def e_chair_power =
    EQUIP("wheelchair", "Permobil M3 Corpus", S(DME_WHEELCHAIR), O(DME_ROLLMARK), 1825, 0, 2, 21, 0,
          T("Power wheelchair with tilt, driven with a joystick.",
            "Silla de ruedas eléctrica que se inclina, se maneja con una palanca."),
          BANDS("14 in seat", "16 in seat", "18 in seat"),
          BANDS("Joystick on the right; speed 3 inside.", "Joystick on the right; speed 3 inside.",
                "Joystick on the right; speed 4 inside."));
static const struct cmd_demo_equipment_def e_afo =
    EQUIP("orthotics", "Custom AFOs", S(ORTHOTICS), O(DME_ROLLMARK), 365, 0, 1, 21, 70,
          T("Ankle braces for the day. Check the skin for red marks when they come off.",
            "Férulas de tobillo para el día. Revise la piel al quitarlas por si hay marcas rojas."),
          BANDS("Custom-molded", "Custom-molded", "Custom-molded"), NO_BANDS);
static const struct cmd_demo_equipment_def e_talker = EQUIP(
    "communication_device", "Tobii Dynavox I-110 with TD Snap", CM_DEMO_SVC_NONE, O(NONE), 0, 0, 3,
    21, 50,
    T("Speech device: taps pictures to talk. Bring it everywhere, even to the hospital.",
      "Aparato para hablar: toca dibujos para decir lo que quiere. Llévelo a todas partes, hasta "
      "al hospital."),
    NO_BANDS, NO_BANDS);
static const struct cmd_demo_equipment_def e_gps = EQUIP(
    "other", "AngelSense GPS tracker", CM_DEMO_SVC_NONE, O(NONE), 0, 0, 3, 21, 70,
    T("GPS tracker worn under the clothes, because {he} may run off. The family gets an alert.",
      "Rastreador GPS bajo la ropa, porque puede salirse corriendo. La familia recibe una "
      "alerta."),
    NO_BANDS, NO_BANDS);
static const struct cmd_demo_equipment_def e_bed = EQUIP(
    "hospital_bed", "Invacare semi-electric bed", S(DME_FEEDING), O(DME_TIDEWATER), 0, 0, 3, 21, 50,
    T("Hospital bed with padded side rails.", "Cama de hospital con barandales acolchados."),
    NO_BANDS, NO_BANDS);
static const struct cmd_demo_equipment_def e_cough = EQUIP(
    "cough_assist", "Philips CoughAssist E70", S(DME_RESPIRATORY), O(DME_AIRWELL), 0, 0, 0, 21, 0,
    T("Cough machine to clear mucus: twice a day, and more when sick.",
      "Máquina para toser y sacar la flema: dos veces al día, y más cuando está enferm{o}."),
    NO_BANDS,
    BANDS("+30/-30 cmH2O, 5 breaths, 5 times.", "+40/-40 cmH2O, 5 breaths, 5 times.",
          "+40/-40 cmH2O, 5 breaths, 5 times."));
static const struct cmd_demo_equipment_def e_cpap = EQUIP(
    "other", "ResMed AirSense 11", S(DME_RESPIRATORY), O(DME_AIRWELL), 0, CMD_DEMO_VAR_A, 2, 21, 70,
    T("CPAP for sleep apnea, with a nose mask, every night.",
      "CPAP para la apnea del sueño, con mascarilla nasal, cada noche."),
    NO_BANDS, BANDS("CPAP 6 cmH2O.", "CPAP 7 cmH2O.", "CPAP 8 cmH2O."));
static const struct cmd_demo_equipment_def e_helmet = EQUIP(
    "other", "Danmar soft helmet", S(ORTHOTICS), O(DME_ROLLMARK), 365, CMD_DEMO_VAR_B, 2, 21, 0,
    T("Soft helmet for drop seizures, worn when awake.",
      "Casco suave para las convulsiones con caída, puesto cuando está despiert{o}."),
    BANDS("Small", "Medium", "Large"), NO_BANDS);

/* ---- action plans ---------------------------------------------------------------------------- */

static const struct cmd_demo_action_plan_def ap_seizures = TEMPLATE("seizures");
static const struct cmd_demo_action_plan_def ap_dystonia = TEMPLATE("dystonia");
static const struct cmd_demo_action_plan_def ap_gtube = TEMPLATE("gtube_dislodgement");
static const struct cmd_demo_action_plan_def ap_trach = TEMPLATE("trach_emergency");
static const struct cmd_demo_action_plan_def ap_breathing = TEMPLATE("respiratory_distress");
static const struct cmd_demo_action_plan_def ap_behaviour = TEMPLATE("behaviour_crisis");

/* No starter fits a shunt or a central line, so these two were written for the demo in the
 * templates' plain style (shunt malfunction and fever with a central line are the emergencies
 * those families are taught first). */
static const struct cmd_demo_action_plan_def ap_shunt = {
    NULL,
    T("Shunt problem plan", "Plan si hay un problema con la válvula"),
    T("Signs the shunt may be blocked: headache, throwing up, very sleepy, cranky, eyes that look "
      "down, a new seizure, or swelling along the shunt.",
      "Señales de que la válvula puede estar tapada: dolor de cabeza, vómitos, mucho sueño, "
      "irritabilidad, ojos que miran hacia abajo, una convulsión nueva o hinchazón a lo largo de "
      "la válvula."),
    T("Stay with your child. Watch how awake your child is.\n"
      "Write down when the signs started.\n"
      "Call the neurosurgery clinic right away, day or night.\n"
      "Do not give food or drink until you talk to the clinic, in case surgery is needed.\n"
      "Bring the shunt card (valve type and setting) to the hospital.",
      "Quédese con su hijo. Fíjese qué tan despierto está.\n"
      "Anote cuándo empezaron las señales.\n"
      "Llame enseguida a neurocirugía, de día o de noche.\n"
      "No le dé comida ni bebida hasta hablar con la clínica, por si necesita cirugía.\n"
      "Lleve la tarjeta de la válvula (tipo y ajuste) al hospital."),
    T("Call the neurosurgery clinic, then your child's lead coordinator.",
      "Llame a neurocirugía y después al coordinador principal de su hijo."),
    T("Call 911 if your child is hard to wake up, has a seizure, or has trouble breathing.",
      "Llame al 911 si a su hijo le cuesta despertar, tiene una convulsión o le cuesta respirar."),
    T("Written with the neurosurgery team for your child.",
      "Escrito con el equipo de neurocirugía para su hijo.")};
static const struct cmd_demo_action_plan_def ap_line_fever = {
    NULL,
    T("Fever with a central line", "Fiebre con catéter central"),
    T("A temperature of 100.4 °F (38 °C) or more, chills, or your child seems sick. Fever can mean "
      "a line infection.",
      "Temperatura de 100.4 °F (38 °C) o más, escalofríos, o su hijo se ve enfermo. La fiebre "
      "puede ser una infección del catéter."),
    T("Take the temperature again to be sure.\n"
      "Call the GI team now, even at night.\n"
      "Go to the emergency department. Your child needs blood tests and IV antibiotics within 1 "
      "hour.\n"
      "Bring the line supplies and the list of medicines.\n"
      "If the line breaks or leaks, clamp it above the break and cover it with clean gauze.",
      "Vuelva a tomar la temperatura para estar seguro.\n"
      "Llame al equipo de gastro enseguida, aunque sea de noche.\n"
      "Vaya a urgencias. Su hijo necesita análisis de sangre y antibióticos por la vena en menos "
      "de 1 hora.\n"
      "Lleve los materiales del catéter y la lista de medicinas.\n"
      "Si el catéter se rompe o gotea, ciérrelo con la pinza arriba de la rotura y cúbralo con una "
      "gasa limpia."),
    T("Call the GI clinic, then your child's lead coordinator.",
      "Llame a la clínica de gastro y después al coordinador principal de su hijo."),
    T("Call 911 if your child is hard to wake up, breathes fast, looks pale or gray, or the line "
      "bleeds and will not stop.",
      "Llame al 911 si a su hijo le cuesta despertar, respira rápido, se ve pálido o gris, o el "
      "catéter sangra y no para."),
    T("Written with the GI team for your child.", "Escrito con el equipo de gastro para su hijo.")};

/* ---- goals, concerns and the actions that join them, by profile ------------------------------ */

static const struct cmd_demo_concern_def cp_concerns[] = {
    {T("Hips: the last X-ray showed a hip slowly moving out of its socket.",
       "Caderas: la última radiografía mostró que una cadera se está saliendo poco a poco de su "
       "lugar."),
     S(ORTHOPEDICS),
     ACT("Hip X-ray every 6 months and a visit with orthopedics to talk about surgery.",
         "Radiografía de cadera cada 6 meses y cita con ortopedia para hablar de la cirugía.",
         S(ORTHOPEDICS), "body_functions"),
     2, 21},
    {T("Weight has not gone up in 6 months.", "No ha subido de peso en 6 meses."), S(NUTRITION),
     ACT("Add 100 calories a day to the night feeds and weigh every month.",
         "Agregar 100 calorías al día a la comida de la noche y pesarl{o} cada mes.", S(NUTRITION),
         "body_functions"),
     ALL_AGES},
    {T("Stiff muscles and spasms wake {him} up at night with pain.",
       "Los músculos rígidos y los espasmos l{o} despiertan de noche con dolor."),
     S(PMR),
     ACT("Try a higher baclofen dose and a night stretching routine; talk about Botox shots at the "
         "next visit.",
         "Probar una dosis más alta de baclofeno y estiramientos en la noche; hablar de las "
         "inyecciones de Botox en la próxima cita.",
         S(PMR), "body_functions"),
     1, 21},
    {T("Hard stools: only one poop every 4 or 5 days.",
       "Popó dura: solo hace popó cada 4 o 5 días."),
     S(GI),
     ACT("MiraLAX every day and more water in the tube; keep a poop diary for 2 weeks.",
         "MiraLAX todos los días y más agua por la sonda; anotar cada popó por 2 semanas.", FAMILY,
         "body_functions"),
     ALL_AGES},
};
static const struct cmd_demo_goal_def cp_goals[] = {
    {T("We want {name} to sleep through the night without pain.",
       "Queremos que {name} duerma toda la noche sin dolor."),
     2,
     ACT("Keep a sleep and pain diary for 2 weeks and bring it to the rehab visit.",
         "Anotar el sueño y el dolor por 2 semanas y llevarlo a la cita de rehabilitación.", FAMILY,
         "body_functions"),
     ALL_AGES},
    {T("We want {name} to tell us what {he} wants with {his} talker.",
       "Queremos que {name} nos diga lo que quiere con su aparato para hablar."),
     -1,
     ACT("Practice with the speech device at home and at school, 10 minutes twice a day.",
         "Practicar con el aparato para hablar en casa y en la escuela, 10 minutos dos veces al "
         "día.",
         S(SLP), "activities"),
     3, 21},
    {T("We want {name} to taste food by mouth again, safely.",
       "Queremos que {name} vuelva a probar comida por la boca, sin peligro."),
     1,
     ACT("Swallow study; if it is safe, feeding therapy every week.",
         "Estudio para tragar; si no hay peligro, terapia de alimentación cada semana.", S(FEEDING),
         "body_functions"),
     1, 21},
    {T("We want {name} to sit up well in {his} chair at school.",
       "Queremos que {name} se siente bien derech{o} en su silla en la escuela."),
     0,
     ACT("New seating fitting: head rest and hip guides.",
         "Ajustar la silla: apoyo para la cabeza y guías para la cadera.", S(DME_WHEELCHAIR),
         "environmental"),
     3, 21},
};

static const struct cmd_demo_concern_def airway_concerns[] = {
    {T("Three hospital stays for chest infections in the last year.",
       "Tres hospitalizaciones por infecciones del pecho en el último año."),
     S(PULMONOLOGY),
     ACT("Sick-day plan on the fridge; call the pulmonary nurse at the first sign of a cold.",
         "Poner el plan para días de enfermedad en el refrigerador; llamar a la enfermera de "
         "pulmonología con la primera señal de resfriado.",
         S(PULMONOLOGY), "body_functions"),
     ALL_AGES},
    {T("Home nursing covers only 60% of the approved hours.",
       "La enfermería en casa cubre solo el 60% de las horas aprobadas."),
     LEAD,
     ACT("Ask both nursing agencies for night shifts and tell the health plan about the gap.",
         "Pedir turnos de noche a las agencias de enfermería y avisar al seguro médico de las "
         "horas que faltan.",
         S(PLAN_CARE_MANAGER), "environmental"),
     ALL_AGES},
    {T("Only one caregiver at home is trained to change the trach.",
       "Solo una persona en casa sabe cambiar la traqueostomía."),
     S(HOME_NURSING),
     ACT("Trach change and CPR class for a second caregiver.",
         "Clase de cambio de traqueostomía y de RCP para una segunda persona.", S(DME_RESPIRATORY),
         "environmental"),
     ALL_AGES},
    {T("Speech is behind for {his} age.", "El habla está atrasada para su edad."), S(SLP),
     ACT("Try a speaking valve with the speech therapist and the lung doctor.",
         "Probar una válvula para hablar con terapia de lenguaje y el médico de los pulmones.",
         S(SLP), "activities"),
     1, 21},
};
static const struct cmd_demo_goal_def airway_goals[] = {
    {T("We want {name} to use the ventilator only at night.",
       "Queremos que {name} use el ventilador solo de noche."),
     0,
     ACT("One more hour off the ventilator every 2 weeks, if oxygen stays at 92% or more.",
         "Una hora más sin el ventilador cada 2 semanas, si el oxígeno se queda en 92% o más.",
         S(PULMONOLOGY), "body_functions"),
     ALL_AGES},
    {T("We want {name} to talk with us, with a speaking valve.",
       "Queremos que {name} hable con nosotros, con una válvula para hablar."),
     3,
     ACT("Passy-Muir valve trial in clinic, then 30 minutes a day at home with the nurse.",
         "Probar la válvula Passy-Muir en la clínica y luego 30 minutos al día en casa con la "
         "enfermera.",
         S(SLP), "activities"),
     1, 21},
    {T("We want to go to the park and to church without worrying about the trach.",
       "Queremos ir al parque y a la iglesia sin preocuparnos por la traqueostomía."),
     2,
     ACT("Go-bag checklist, then a practice outing with the nurse.",
         "Lista para la mochila de emergencia y luego una salida de práctica con la enfermera.",
         S(HOME_NURSING), "participation"),
     ALL_AGES},
};

static const struct cmd_demo_concern_def shunt_concerns[] = {
    {T("Two urine infections in the last 6 months.",
       "Dos infecciones de orina en los últimos 6 meses."),
     S(UROLOGY),
     ACT("Check the catheter routine with the urology nurse; urine test when there is fever.",
         "Revisar la rutina de la sonda con la enfermera de urología; examen de orina si hay "
         "fiebre.",
         S(UROLOGY), "body_functions"),
     ALL_AGES},
    {T("A red spot on {his} bottom could become a pressure sore.",
       "Una mancha roja en las nalgas podría volverse una llaga por presión."),
     S(DME_WHEELCHAIR),
     ACT("New pressure cushion and a weight shift every 30 minutes.",
         "Cojín nuevo para la presión y cambiar de posición cada 30 minutos.", S(DME_WHEELCHAIR),
         "body_functions"),
     2, 21},
    {T("More headaches in the morning this month.", "Más dolores de cabeza en la mañana este mes."),
     LEAD,
     ACT("Shunt check with neurosurgery and an eye exam.",
         "Revisar la válvula con neurocirugía y hacer un examen de los ojos.", S(NEUROSURGERY),
         "body_functions"),
     ALL_AGES},
    {T("Stools are hard to manage at school.", "Es difícil controlar la popó en la escuela."),
     S(SCHOOL_NURSE),
     ACT("Start a daily bowel program at home after dinner.",
         "Empezar un programa diario para hacer popó en casa después de la cena.", FAMILY,
         "activities"),
     5, 21},
};
static const struct cmd_demo_goal_def shunt_goals[] = {
    {T("We want {name} to use the catheter on {his} own.",
       "Queremos que {name} use la sonda sin ayuda."),
     0,
     ACT("Teach {name} to use the catheter alone, with a mirror and a picture list.",
         "Enseñarle a usar la sonda sin ayuda, con un espejo y una lista con dibujos.", S(UROLOGY),
         "activities"),
     6, 21},
    {T("We want {name} to stay dry at school.", "Queremos que {name} esté sec{o} en la escuela."),
     3,
     ACT("Catheter times in the school health plan, with a private place to do it.",
         "Poner los horarios de la sonda en el plan de salud de la escuela, con un lugar privado.",
         S(SCHOOL_NURSE), "participation"),
     5, 21},
    {T("We want {name} to get around school in {his} wheelchair without help.",
       "Queremos que {name} se mueva por la escuela en su silla de ruedas sin ayuda."),
     1,
     ACT("Fitting for a lighter wheelchair and wheelchair skills practice with PT.",
         "Ajustar una silla más ligera y practicar con fisioterapia.", S(PT), "activities"),
     4, 21},
    {T("We want {name} to crawl and play on the floor.",
       "Queremos que {name} gatee y juegue en el piso."),
     -1,
     ACT("Physical therapy at home every week.", "Fisioterapia en casa cada semana.",
         S(EI_THERAPIST), "activities"),
     0, 3},
};

static const struct cmd_demo_concern_def heart_concerns[] = {
    {T("Slow weight gain since the heart surgery.",
       "Sube de peso muy despacio desde la cirugía del corazón."),
     S(NUTRITION),
     ACT("Higher-calorie formula and a weight check every week for 2 months.",
         "Fórmula con más calorías y pesarl{o} cada semana por 2 meses.", S(NUTRITION),
         "body_functions"),
     ALL_AGES},
    {T("The sleep study showed pauses in breathing at night.",
       "El estudio del sueño mostró pausas en la respiración de noche."),
     S(ENT),
     ACT("CPAP at night and an ENT visit about the tonsils.",
         "CPAP de noche y cita con otorrino para hablar de las amígdalas.", S(ENT),
         "body_functions"),
     2, 21},
    {T("The heart check-up and echo are due.",
       "Ya toca el chequeo del corazón y el ecocardiograma."),
     S(CARDIOLOGY),
     ACT("Book the cardiology visit and echo before flu season.",
         "Hacer la cita de cardiología y el ecocardiograma antes de la temporada de gripe.",
         S(CARDIOLOGY), "body_functions"),
     ALL_AGES},
    {T("The hearing test is overdue.", "Ya pasó la fecha del examen de audición."), S(AUDIOLOGY),
     ACT("Hearing test at the audiology clinic.", "Examen de audición en la clínica de audiología.",
         S(AUDIOLOGY), "body_functions"),
     ALL_AGES},
};
static const struct cmd_demo_goal_def heart_goals[] = {
    {T("We want {name} to gain weight and grow.", "Queremos que {name} suba de peso y crezca."), 0,
     ACT("Weigh at home every Monday and send the weight to the nutrition team.",
         "Pesarl{o} en casa cada lunes y mandar el peso al equipo de nutrición.", FAMILY,
         "body_functions"),
     ALL_AGES},
    {T("We want {name} to eat more by mouth and use the tube less.",
       "Queremos que {name} coma más por la boca y use menos la sonda."),
     -1,
     ACT("Feeding therapy every week and one meal a day by mouth.",
         "Terapia de alimentación cada semana y una comida al día por la boca.", S(FEEDING),
         "activities"),
     1, 21},
    {T("We want {name} to walk.", "Queremos que {name} camine."), -1,
     ACT("PT twice a week and a walker to try at home.",
         "Fisioterapia dos veces por semana y una andadera para probar en casa.", S(PT),
         "activities"),
     1, 8},
};

static const struct cmd_demo_concern_def if_concerns[] = {
    {T("Two central line infections this year.", "Dos infecciones del catéter central este año."),
     S(GI),
     ACT("Go over line care step by step with the home infusion nurse.",
         "Repasar paso a paso el cuidado del catéter con la enfermera de infusión en casa.",
         S(HOME_INFUSION), "body_functions"),
     ALL_AGES},
    {T("Liver blood tests are slowly going up.",
       "Los análisis de sangre del hígado están subiendo poco a poco."),
     S(GI),
     ACT("Change the IV fats and check the liver blood tests every month.",
         "Cambiar las grasas de la nutrición por vena y revisar los análisis del hígado cada mes.",
         S(GI), "body_functions"),
     ALL_AGES},
    {T("The family is worn out by night care; there is no nursing on weekends.",
       "La familia está agotada por los cuidados de noche; no hay enfermería los fines de "
       "semana."),
     LEAD,
     ACT("Apply for weekend respite through the waiver.",
         "Solicitar descanso los fines de semana por medio del programa de exención (waiver).",
         S(WAIVER_CASE_MANAGER), "environmental"),
     ALL_AGES},
};
static const struct cmd_demo_goal_def if_goals[] = {
    {T("We want {name} to eat more by mouth and need less IV food.",
       "Queremos que {name} coma más por la boca y necesite menos comida por la vena."),
     1,
     ACT("One night a week without IV nutrition if the weight holds for a month.",
         "Una noche a la semana sin nutrición por vena si mantiene el peso por un mes.", S(GI),
         "body_functions"),
     ALL_AGES},
    {T("We want no more line infections.", "No queremos más infecciones del catéter."), 0,
     ACT("Everyone who touches the line washes hands and wears a mask, every time.",
         "Todos los que tocan el catéter se lavan las manos y usan cubrebocas, cada vez.", FAMILY,
         "environmental"),
     ALL_AGES},
    {T("We want nights with fewer pump alarms, so we can sleep.",
       "Queremos noches con menos alarmas de la bomba para poder dormir."),
     2,
     ACT("Check the pump and tubing with the infusion pharmacy; try a shorter night run.",
         "Revisar la bomba y los tubos con la farmacia de infusión; probar menos horas en la "
         "noche.",
         S(HOME_INFUSION), "environmental"),
     ALL_AGES},
};

static const struct cmd_demo_concern_def autism_concerns[] = {
    {T("{name} ran out of the house twice last month.",
       "{name} se salió de la casa dos veces el mes pasado."),
     LEAD,
     ACT("Door alarms, a GPS tracker and an ID bracelet; tell the local police about {name}.",
         "Alarmas en las puertas, un rastreador GPS y una pulsera con sus datos; avisar a la "
         "policía local sobre {name}.",
         FAMILY, "environmental"),
     ALL_AGES},
    {T("Night seizures are not always seen.", "Las convulsiones de noche no siempre se ven."),
     S(NEUROLOGY),
     ACT("Seizure monitor in the bed and a baby monitor in the bedroom.",
         "Monitor de convulsiones en la cama y monitor de bebé en el cuarto.", S(NEUROLOGY),
         "body_functions"),
     ALL_AGES},
    {T("Hits when upset at school; the school wants to shorten {his} day.",
       "Pega cuando se enoja en la escuela; la escuela quiere acortarle el horario."),
     S(SPECIAL_EDUCATION),
     ACT("One behavior plan for home, ABA and school; an IEP meeting before any change to the "
         "school day.",
         "Un mismo plan de conducta en casa, en ABA y en la escuela; junta del IEP antes de "
         "cambiar el horario.",
         S(ABA), "participation"),
     5, 21},
    {T("The dental cleaning is overdue.", "Ya pasó la fecha de la limpieza dental."), S(DENTAL),
     ACT("Dental visit with sedation, planned with the dentist's team.",
         "Cita dental con sedación, planeada con el equipo del dentista.", S(DENTAL),
         "body_functions"),
     ALL_AGES},
};
static const struct cmd_demo_goal_def autism_goals[] = {
    {T("We want {name} to be safe: no more running out of the house.",
       "Queremos que {name} esté segur{o}: que ya no se salga de la casa."),
     0,
     ACT("Practice \"stop\" and \"wait\" in ABA therapy, at home and outside.",
         "Practicar \"alto\" y \"espera\" en la terapia ABA, en casa y afuera.", S(ABA),
         "activities"),
     ALL_AGES},
    {T("We want haircuts and dentist visits without a big meltdown.",
       "Queremos ir al corte de pelo y al dentista sin una crisis fuerte."),
     3,
     ACT("A picture story and practice visits before each appointment.",
         "Un cuento con dibujos y visitas de práctica antes de cada cita.", S(ABA),
         "participation"),
     ALL_AGES},
    {T("We want {name} to sleep more at night.", "Queremos que {name} duerma más en la noche."), 1,
     ACT("Bedtime picture chart and melatonin as prescribed; sleep diary for 3 weeks.",
         "Rutina para dormir con dibujos y melatonina como se recetó; anotar el sueño por 3 "
         "semanas.",
         S(DEVPEDS), "body_functions"),
     ALL_AGES},
};

static const struct cmd_demo_concern_def nmd_concerns[] = {
    {T("The breathing test (FVC) went down since last year.",
       "La prueba de respiración (FVC) bajó desde el año pasado."),
     S(PULMONOLOGY),
     ACT("Sleep study to check the night ventilator settings.",
         "Estudio del sueño para revisar el ventilador de noche.", S(PULMONOLOGY),
         "body_functions"),
     ALL_AGES},
    {T("The curve in {his} spine is getting worse.", "La curva de la columna está empeorando."),
     S(ORTHOPEDICS),
     ACT("Spine X-ray and a visit with orthopedics about a brace or surgery.",
         "Radiografía de la columna y cita con ortopedia para hablar de un corsé o de cirugía.",
         S(ORTHOPEDICS), "body_functions"),
     6, 21},
    {T("Weak cough: chest infections last a long time.",
       "Tos débil: las infecciones del pecho duran mucho."),
     S(PULMONOLOGY),
     ACT("Cough machine twice a day, more when sick; two family members trained.",
         "Máquina para toser dos veces al día, más cuando está enferm{o}; dos personas de la "
         "familia capacitadas.",
         S(DME_RESPIRATORY), "body_functions"),
     ALL_AGES},
    {T("No ramp at the front door: {name} is carried in and out.",
       "No hay rampa en la puerta: hay que cargar a {name} para entrar y salir."),
     LEAD,
     ACT("Apply for a home ramp through the waiver.",
         "Solicitar una rampa para la casa por medio del programa de exención (waiver).",
         S(WAIVER_CASE_MANAGER), "environmental"),
     ALL_AGES},
};
static const struct cmd_demo_goal_def nmd_goals[] = {
    {T("We want {name} to keep going to school with {his} friends.",
       "Queremos que {name} siga yendo a la escuela con sus amigos."),
     2,
     ACT("Train the school nurse on the cough machine and update the school health plan.",
         "Capacitar a la enfermera de la escuela con la máquina para toser y actualizar el plan "
         "de salud escolar.",
         S(SCHOOL_NURSE), "participation"),
     4, 21},
    {T("{name} wants to drive {his} power chair at the mall on {his} own.",
       "{name} quiere manejar su silla eléctrica en el centro comercial sin ayuda."),
     3,
     ACT("Power chair driving lessons with OT, then a trip to the mall.",
         "Clases para manejar la silla con terapia ocupacional y luego una salida al centro "
         "comercial.",
         S(OT), "participation"),
     3, 21},
    {T("We want fewer chest infections this winter.",
       "Queremos menos infecciones del pecho este invierno."),
     0,
     ACT("Flu shots for the whole family and the sick-day plan on the fridge.",
         "Vacuna de la gripe para toda la familia y el plan para días de enfermedad en el "
         "refrigerador.",
         FAMILY, "body_functions"),
     ALL_AGES},
};

static const struct cmd_demo_concern_def epi_concerns[] = {
    {T("Still 5 to 10 seizures a day on three medicines.",
       "Todavía tiene de 5 a 10 convulsiones al día con tres medicinas."),
     S(NEUROLOGY),
     ACT("Referral to the epilepsy center to talk about the ketogenic diet or surgery.",
         "Envío al centro de epilepsia para hablar de la dieta cetogénica o de una cirugía.",
         S(NEUROLOGY), "body_functions"),
     ALL_AGES},
    {T("Falls and head bumps in drop seizures.",
       "Caídas y golpes en la cabeza en las convulsiones con caída."),
     S(PT),
     ACT("Soft helmet and padded corners at home.", "Casco suave y esquinas acolchadas en la casa.",
         S(ORTHOTICS), "environmental"),
     2, 21},
    {T("The swallow study showed that food can go into the lungs.",
       "El estudio para tragar mostró que la comida puede irse a los pulmones."),
     S(SLP),
     ACT("Thick liquids and feeding therapy; talk about a feeding tube if the weight drops.",
         "Líquidos espesos y terapia de alimentación; hablar de una sonda si baja de peso.",
         S(FEEDING), "body_functions"),
     ALL_AGES},
    {T("The parents are sleeping very little.", "Los papás duermen muy poco."), LEAD,
     ACT("Respite nights and a parent support group.",
         "Noches de descanso (respiro) y un grupo de apoyo para padres.", S(RESPITE),
         "environmental"),
     ALL_AGES},
};
static const struct cmd_demo_goal_def epi_goals[] = {
    {T("We want fewer seizures, so {name} can learn.",
       "Queremos menos convulsiones para que {name} pueda aprender."),
     0,
     ACT("Write down each seizure and send the list to neurology every month.",
         "Anotar cada convulsión y mandar la lista a neurología cada mes.", FAMILY,
         "body_functions"),
     ALL_AGES},
    {T("We want {name} to sit on {his} own.", "Queremos que {name} se siente sol{o}."), -1,
     ACT("PT every week and a special seat for home.",
         "Fisioterapia cada semana y un asiento especial para la casa.", S(PT), "activities"),
     0, 5},
    {T("We want {name} to be safe in the bath and in bed.",
       "Queremos que {name} esté segur{o} en el baño y en la cama."),
     1,
     ACT("Bath chair with straps and a seizure monitor in the bed.",
         "Silla de baño con cinturones y monitor de convulsiones en la cama.", S(OT),
         "environmental"),
     ALL_AGES},
};

/* ---- the profiles ---------------------------------------------------------------------------- */

static const struct cmd_demo_condition_def *const cp_conditions[] = {
    &c_cp, &c_epilepsy, &c_gtube, &c_scoliosis, &c_cvi, NULL};
static const struct cmd_demo_medication_def *const cp_medications[] = {
    &m_levetiracetam, &m_baclofen, &m_diastat, &m_omeprazole, &m_miralax, &m_glycopyrrolate, NULL};
static const struct cmd_demo_equipment_def *const cp_equipment[] = {
    &e_gtube_mickey, &e_pump, &e_chair_tilt, &e_stroller, &e_afo, &e_talker, NULL};
static const struct cmd_demo_action_plan_def *const cp_action_plans[] = {&ap_seizures, &ap_dystonia,
                                                                         &ap_gtube, NULL};

static const struct cmd_demo_condition_def *const airway_conditions[] = {
    &c_bpd, &c_resp_failure, &c_trach, &c_vent, &c_gtube, NULL};
static const struct cmd_demo_medication_def *const airway_medications[] = {
    &m_budesonide,   &m_albuterol, &m_chlorothiazide, &m_saline, &m_omeprazole,
    &m_multivitamin, NULL};
static const struct cmd_demo_equipment_def *const airway_equipment[] = {
    &e_trach_bivona, &e_vent_trach, &e_suction,   &e_suction_catheters,
    &e_oxygen,       &e_oximeter,   &e_nebulizer, &e_gtube_mickey,
    &e_pump,         NULL};
static const struct cmd_demo_action_plan_def *const airway_action_plans[] = {
    &ap_trach, &ap_breathing, &ap_gtube, NULL};

static const struct cmd_demo_condition_def *const shunt_conditions[] = {
    &c_spina_bifida, &c_shunt, &c_bladder, &c_paraplegia, NULL};
static const struct cmd_demo_medication_def *const shunt_medications[] = {&m_oxybutynin, &m_senna,
                                                                          &m_vitamin_d, NULL};
static const struct cmd_demo_equipment_def *const shunt_equipment[] = {
    &e_shunt_valve, &e_catheters, &e_chair_manual, &e_afo, NULL};
static const struct cmd_demo_action_plan_def *const shunt_action_plans[] = {&ap_shunt, NULL};

static const struct cmd_demo_condition_def *const heart_conditions[] = {
    &c_down, &c_avsd, &c_thyroid, &c_osa, &c_22q, &c_tof, &c_language, &c_gtube, NULL};
static const struct cmd_demo_medication_def *const heart_medications[] = {
    &m_furosemide, &m_enalapril, &m_levothyroxine, &m_omeprazole, NULL};
static const struct cmd_demo_equipment_def *const heart_equipment[] = {&e_gtube_mini, &e_pump,
                                                                       &e_cpap, NULL};
static const struct cmd_demo_action_plan_def *const heart_action_plans[] = {&ap_gtube, NULL};

static const struct cmd_demo_condition_def *const if_conditions[] = {
    &c_if, &c_short_bowel, &c_gastroschisis, &c_central_line, &c_gtube, &c_liver, NULL};
static const struct cmd_demo_medication_def *const if_medications[] = {
    &m_pn, &m_lipids, &m_heparin, &m_loperamide, &m_ursodiol, NULL};
static const struct cmd_demo_equipment_def *const if_equipment[] = {
    &e_central_line, &e_iv_pump, &e_gtube_mini, &e_pump_if, NULL};
static const struct cmd_demo_action_plan_def *const if_action_plans[] = {&ap_line_fever, &ap_gtube,
                                                                         NULL};

static const struct cmd_demo_condition_def *const autism_conditions[] = {&c_autism, &c_epilepsy,
                                                                         &c_id, &c_adhd, NULL};
static const struct cmd_demo_medication_def *const autism_medications[] = {
    &m_lamotrigine, &m_risperidone, &m_melatonin, &m_diastat_small, &m_valtoco, NULL};
static const struct cmd_demo_equipment_def *const autism_equipment[] = {&e_gps, &e_talker, NULL};
static const struct cmd_demo_action_plan_def *const autism_action_plans[] = {&ap_seizures,
                                                                             &ap_behaviour, NULL};

static const struct cmd_demo_condition_def *const nmd_conditions[] = {
    &c_sma, &c_dmd, &c_nmd_breathing, &c_cardiomyopathy, &c_scoliosis, &c_gtube, NULL};
static const struct cmd_demo_medication_def *const nmd_medications[] = {
    &m_risdiplam, &m_deflazacort, &m_lisinopril, &m_vitamin_d, &m_miralax, NULL};
static const struct cmd_demo_equipment_def *const nmd_equipment[] = {
    &e_vent_mask, &e_cough, &e_oximeter, &e_chair_power, &e_bed, &e_gtube_mickey, NULL};
static const struct cmd_demo_action_plan_def *const nmd_action_plans[] = {&ap_breathing, &ap_gtube,
                                                                          NULL};

static const struct cmd_demo_condition_def *const epi_conditions[] = {&c_spasms, &c_lgs, &c_gdd,
                                                                      &c_id_severe, NULL};
static const struct cmd_demo_medication_def *const epi_medications[] = {
    &m_vigabatrin, &m_clobazam, &m_valproate, &m_rufinamide,
    &m_diastat,    &m_nayzilam, &m_melatonin, NULL};
static const struct cmd_demo_equipment_def *const epi_equipment[] = {&e_helmet, NULL};
static const struct cmd_demo_action_plan_def *const epi_action_plans[] = {&ap_seizures, NULL};

const struct cmd_demo_plan_profile cmd_demo_plan_profiles[CM_DEMO_PROFILE_COUNT] = {
    [CM_DEMO_PROFILE_CEREBRAL_PALSY] =
        PROFILE(cp, 0,
                T("{He} uses a wheelchair, eats through a g-tube and takes medicine for seizures.",
                  "Usa silla de ruedas, come por una sonda en la panza y toma medicina para las "
                  "convulsiones."),
                NONE_TEXT,
                T("{He} eats through a g-tube, takes medicine for seizures and rides in a special "
                  "stroller.",
                  "Come por una sonda en la panza, toma medicina para las convulsiones y usa una "
                  "carriola especial."),
                NONE_TEXT),
    [CM_DEMO_PROFILE_AIRWAY] = PROFILE(
        airway, 0,
        T("{He} breathes through a trach with help from a ventilator, and eats through a g-tube.",
          "Respira por una traqueostomía con ayuda de un ventilador y come por una sonda en la "
          "panza."),
        NONE_TEXT, NONE_TEXT, NONE_TEXT),
    [CM_DEMO_PROFILE_SHUNT] = PROFILE(
        shunt, 0,
        T("{He} has spina bifida and a shunt, uses a wheelchair and a catheter to pee.",
          "Tiene espina bífida y una válvula en la cabeza, usa silla de ruedas y una sonda para "
          "orinar."),
        NONE_TEXT,
        T("{He} has spina bifida and a shunt, and needs a catheter to pee.",
          "Tiene espina bífida y una válvula en la cabeza, y necesita una sonda para orinar."),
        NONE_TEXT),
    [CM_DEMO_PROFILE_SYNDROME_HEART] = PROFILE(
        heart, CMD_DEMO_VAR_A | CMD_DEMO_VAR_B,
        T("{He} has Down syndrome and had heart surgery as a baby. {He} gets most food through "
          "a g-tube.",
          "Tiene síndrome de Down y l{o} operaron del corazón de bebé. Come casi todo por una "
          "sonda en la panza."),
        T("{He} has 22q11.2 deletion syndrome and had heart surgery as a baby. {He} eats by "
          "mouth and through a g-tube.",
          "Tiene el síndrome 22q11.2 y l{o} operaron del corazón de bebé. Come por la boca y "
          "por una sonda en la panza."),
        NONE_TEXT, NONE_TEXT),
    [CM_DEMO_PROFILE_INTESTINAL_FAILURE] = PROFILE(
        if, 0,
        T("{He} gets most of {his} food through a central line at night and eats a little by "
          "mouth.",
          "Recibe casi toda su comida por un catéter en la vena durante la noche y come un poco "
          "por la boca."),
        NONE_TEXT, NONE_TEXT, NONE_TEXT),
    [CM_DEMO_PROFILE_AUTISM_EPILEPSY] = PROFILE(
        autism, 0,
        T("{He} has autism and seizures. {He} talks with a few words and pictures, and needs an "
          "adult close by to stay safe.",
          "Tiene autismo y convulsiones. Se comunica con pocas palabras y con dibujos, y "
          "necesita a un adulto cerca para estar segur{o}."),
        NONE_TEXT, NONE_TEXT, NONE_TEXT),
    [CM_DEMO_PROFILE_NEUROMUSCULAR] = PROFILE(
        nmd, CMD_DEMO_VAR_A | CMD_DEMO_VAR_B,
        T("{He} has SMA, so {his} muscles are weak. {He} drives a power wheelchair and uses a "
          "breathing machine at night.",
          "Tiene atrofia muscular espinal: sus músculos son débiles. Maneja una silla de ruedas "
          "eléctrica y usa una máquina para respirar de noche."),
        T("{He} has Duchenne muscular dystrophy, so {his} muscles are weak. {He} uses a power "
          "wheelchair and a breathing machine at night.",
          "Tiene distrofia muscular de Duchenne: sus músculos son débiles. Usa una silla de "
          "ruedas eléctrica y una máquina para respirar de noche."),
        T("{He} has SMA, so {his} muscles are weak. {He} uses a breathing machine at night and "
          "is learning to drive a small power chair.",
          "Tiene atrofia muscular espinal: sus músculos son débiles. Usa una máquina para "
          "respirar de noche y está aprendiendo a manejar una silla eléctrica pequeña."),
        T("{He} has Duchenne muscular dystrophy, so {his} muscles are weak and tire fast.",
          "Tiene distrofia muscular de Duchenne: sus músculos son débiles y se cansan rápido.")),
    [CM_DEMO_PROFILE_EPILEPSY_DELAY] = PROFILE(
        epi, CMD_DEMO_VAR_A | CMD_DEMO_VAR_B,
        T("{He} has seizures that are hard to control and is learning to sit and play.",
          "Tiene convulsiones difíciles de controlar y está aprendiendo a sentarse y a jugar."),
        T("{He} has many seizures a day that are hard to control. {He} learns slowly and needs "
          "help with most things.",
          "Tiene muchas convulsiones al día, difíciles de controlar. Aprende despacio y necesita "
          "ayuda con casi todo."),
        NONE_TEXT, NONE_TEXT),
};

/* ---- what any family may want ---------------------------------------------------------------- */

const struct cmd_demo_goal_def cmd_demo_plan_common_goals[] = {
    {T("We want {name} to go to school every day.",
       "Queremos que {name} vaya a la escuela todos los días."),
     -1,
     ACT("Add a health plan and a trained nurse or aide to the IEP.",
         "Agregar al IEP un plan de salud y una enfermera o asistente capacitada.",
         S(SCHOOL_COORDINATOR), "participation"),
     5, 21},
    {T("We want {name} to have friends and play with other kids.",
       "Queremos que {name} tenga amigos y juegue con otros niños."),
     -1,
     ACT("Find an adaptive sports or art program near home.",
         "Buscar un programa de deporte adaptado o de arte cerca de la casa.", S(PARENT_MENTOR),
         "participation"),
     4, 17},
    {T("We need a break sometimes. We want a sitter who knows how to care for {him}.",
       "A veces necesitamos descansar. Queremos a alguien que sepa cuidarl{o}."),
     -1,
     ACT("Apply for respite hours and train a sitter with the home nurse.",
         "Solicitar horas de descanso (respiro) y capacitar a una niñera con la enfermera de "
         "casa.",
         S(RESPITE), "environmental"),
     ALL_AGES},
    {T("{name} wants to finish school and find a job {he} enjoys.",
       "{name} quiere terminar la escuela y encontrar un trabajo que le guste."),
     -1,
     ACT("Job skills and a summer job trial in the IEP transition plan.",
         "Habilidades para el trabajo y un trabajo de verano de prueba en el plan de transición "
         "del IEP.",
         S(TRANSITION), "participation"),
     15, 21},
    {T("We want to feel sure caring for {name} at home.",
       "Queremos sentirnos seguros al cuidar a {name} en casa."),
     -1,
     ACT("Teach-back sessions on each piece of equipment with the home nurse.",
         "Sesiones para practicar con cada aparato junto a la enfermera de casa.", S(HOME_NURSING),
         "environmental"),
     0, 2},
};
const size_t cmd_demo_plan_common_goal_count = CM_ARRAY_LEN(cmd_demo_plan_common_goals);

const struct cmd_demo_like cmd_demo_plan_likes[] = {
    {T("{He} is a smiley baby who loves being held and sung to.",
       "Es muy sonriente y le encanta que l{o} carguen y le canten."),
     0, 1},
    {T("{He} loves bath time, soft blankets and {his} family's voices.",
       "Le encantan la hora del baño, las cobijas suaves y oír a su familia."),
     0, 3},
    {T("{He} loves music and bath time.", "Le encantan la música y la hora del baño."), 2, 12},
    {T("{He} laughs at silly songs and loves the swing at the park.",
       "Se ríe con las canciones chistosas y le encanta el columpio del parque."),
     2, 12},
    {T("{He} likes stories, the family dog and car rides.",
       "Le gustan los cuentos, el perro de la familia y pasear en carro."),
     3, 12},
    {T("{He} is curious and loves bright lights and water play.",
       "Es curios{o} y le encantan las luces de colores y jugar con agua."),
     3, 12},
    {T("{He} is a big fan of trains and dinosaurs.", "Le fascinan los trenes y los dinosaurios."),
     4, 14},
    {T("{He} loves music and {his} cousins, and has a big laugh.",
       "Le encantan la música y sus primos, y tiene una risa contagiosa."),
     5, 14},
    {T("{He} loves video games, music and time with friends.",
       "Le encantan los videojuegos, la música y estar con sus amigos."),
     13, 21},
    {T("{He} likes art class and wants to work with animals one day.",
       "Le gusta la clase de arte y algún día quiere trabajar con animales."),
     13, 21},
    {T("{He} is funny, loves movies and cheers for the local soccer team.",
       "Es muy chistos{o}, le encantan las películas y le va al equipo de fútbol local."),
     13, 21},
};
const size_t cmd_demo_plan_like_count = CM_ARRAY_LEN(cmd_demo_plan_likes);

/* ---- allergies ------------------------------------------------------------------------------- */

const struct cmd_demo_allergy_def cmd_demo_plan_allergies[] = {
    {T("Amoxicillin (antibiotic)", "Amoxicilina (antibiótico)"),
     T("Rash all over the body", "Ronchas en todo el cuerpo"), "mild"},
    {T("Penicillin (antibiotic)", "Penicilina (antibiótico)"),
     T("Hives and a swollen face", "Ronchas y la cara hinchada"), "severe"},
    {T("Sulfa antibiotics (Bactrim)", "Antibióticos con sulfa (Bactrim)"),
     T("Rash and fever", "Ronchas y fiebre"), "moderate"},
    {T("Adhesive tape", "Cinta adhesiva"),
     T("Red, raw skin where the tape touches", "Piel roja y lastimada donde toca la cinta"),
     "mild"},
    {T("Peanuts", "Cacahuates (maní)"),
     T("Swollen lips and trouble breathing", "Labios hinchados y dificultad para respirar"),
     "life_threatening"},
    {T("Eggs", "Huevo"), T("Hives and throwing up", "Ronchas y vómitos"), "moderate"},
    {T("Cephalexin (antibiotic)", "Cefalexina (antibiótico)"),
     T("Itchy hives", "Ronchas con comezón"), "moderate"},
};
const size_t cmd_demo_plan_allergy_count = CM_ARRAY_LEN(cmd_demo_plan_allergies);

/* Children with spina bifida are kept latex-free from birth because so many become allergic. */
const struct cmd_demo_allergy_def cmd_demo_plan_latex = {
    T("Latex (rubber gloves, balloons, some catheters)",
      "Látex (guantes de hule, globos, algunas sondas)"),
    T("Hives, wheezing and swelling", "Ronchas, silbidos en el pecho e hinchazón"), "severe"};

/* ---- transitions ----------------------------------------------------------------------------- */

const struct cmd_demo_transition_def cmd_demo_plan_transitions[CMD_DEMO_TR_COUNT] = {
    [CMD_DEMO_TR_HOME] =
        {"hospital_to_home",
         T("Coming home from the hospital with new equipment: nursing, supplies and first visits "
           "in place.",
           "Volver a casa del hospital con equipo nuevo: enfermería, materiales y primeras citas "
           "listas."),
         {{T("Equipment delivered and the family trained to use it",
             "Equipo entregado y la familia capacitada para usarlo"),
           S(HOSPITAL_CASE_MANAGER), -3},
          {T("Home nursing schedule set", "Horario de enfermería en casa listo"), S(HOME_NURSING),
           0},
          {T("First visit with the pediatrician in the first week at home",
             "Primera cita con el pediatra en la primera semana en casa"),
           FAMILY, 5},
          {T("Follow-up visits booked with each specialist",
             "Citas de seguimiento con cada especialista"),
           LEAD, 14}}},
    [CMD_DEMO_TR_EI] =
        {"early_intervention_to_school",
         T("Moving from early intervention to preschool special education at age 3.",
           "Pasar de la intervención temprana al preescolar de educación especial a los 3 años."),
         {{T("Transition meeting with early intervention and the school district",
             "Reunión de transición con intervención temprana y el distrito escolar"),
           S(EI_COORDINATOR), -90},
          {T("The school district checks what {name} needs",
             "El distrito escolar revisa lo que {name} necesita"),
           S(EI_COORDINATOR), -60},
          {T("IEP meeting: services and a health plan for school",
             "Reunión del IEP: servicios y plan de salud para la escuela"),
           FAMILY, -14},
          {T("First day of preschool", "Primer día de preescolar"), FAMILY, 7}}},
    [CMD_DEMO_TR_KINDERGARTEN] =
        {"school_change",
         T("From preschool to kindergarten at the neighborhood school.",
           "Del preescolar al kínder en la escuela del barrio."),
         {{T("Visit the new school together", "Visitar juntos la escuela nueva"), FAMILY, -60},
          {T("IEP meeting for kindergarten, with the school nurse",
             "Reunión del IEP para el kínder, con la enfermera de la escuela"),
           S(PRESCHOOL), -30},
          {T("Train school staff on the emergency plans",
             "Capacitar al personal de la escuela en los planes de emergencia"),
           LEAD, -7},
          NONE_MILESTONE}},
    [CMD_DEMO_TR_BACK_TO_SCHOOL] =
        {"school_change",
         T("Going back to school in person, with a nurse, after learning at home.",
           "Volver a la escuela en persona, con enfermera, después de estudiar en casa."),
         {{T("School nurse trained on the trach and the ventilator",
             "Enfermera de la escuela capacitada en la traqueostomía y el ventilador"),
           S(DME_RESPIRATORY), -21},
          {T("Emergency plans and go-bag checked at school",
             "Planes de emergencia y mochila de emergencia revisados en la escuela"),
           LEAD, -7},
          {T("Half days for the first two weeks", "Medios días las primeras dos semanas"),
           S(SPECIAL_EDUCATION), 14},
          NONE_MILESTONE}},
    [CMD_DEMO_TR_ADULT] =
        {"pediatric_to_adult",
         T("Moving to adult doctors and adult services by age 22.",
           "Pasar a médicos y servicios para adultos antes de los 22 años."),
         {{T("Talk about support for decisions after 18 (guardianship or supported "
             "decision-making)",
             "Hablar del apoyo para decidir después de los 18 (tutela o toma de decisiones con "
             "apoyo)"),
           LEAD, -1110},
          {T("Apply for SSI and adult Medicaid at 18",
             "Solicitar SSI y Medicaid para adultos a los 18"),
           S(BENEFITS), -1090},
          {T("Choose an adult primary care doctor", "Elegir un médico de cabecera para adultos"),
           LEAD, -365},
          {T("First visit with the adult doctor, with a summary sent ahead",
             "Primera cita con el médico de adultos, con un resumen enviado antes"),
           LEAD, -30}}},
};

/* ---- reviews and version notes --------------------------------------------------------------- */

static const struct cmd_demo_text review_comments[] = {
    T("Thank you. Please add the new school nurse's phone number.",
      "Gracias. Por favor agreguen el teléfono de la nueva enfermera de la escuela."),
    T("It looks right. We still need more night nurse hours.",
      "Se ve bien. Todavía necesitamos más horas de enfermera de noche."),
    T("We agree. {name} is sleeping better since the last change.",
      "Estamos de acuerdo. {name} duerme mejor desde el último cambio."),
    T("Looks good. Can we talk about summer camp at the next visit?",
      "Se ve bien. ¿Podemos hablar del campamento de verano en la próxima cita?"),
};
static const struct cmd_demo_text review_changes[] = {
    T("Please add the new dose from the neurologist. It went up last week.",
      "Por favor agreguen la dosis nueva del neurólogo. La subieron la semana pasada."),
    T("The feeding times are wrong. {name} now eats at 7, 11, 3 and 7.",
      "Los horarios de comida están mal. {name} ahora come a las 7, 11, 3 y 7."),
    T("We want the school goal to say full days, not half days.",
      "Queremos que la meta de la escuela diga días completos, no medios días."),
    T("Please take off the old medicine. {He} stopped it a month ago.",
      "Por favor quiten la medicina vieja. Ya no la toma desde hace un mes."),
};
/* Staff write these in English; the first three go with "agree", the rest with "comment". */
static const struct cmd_demo_text review_in_person[] = {
    T("Reviewed together at the clinic visit.", NULL),
    T("Reviewed by phone with the family.", NULL),
    T("Reviewed at a home visit with the family.", NULL),
    T("Reviewed at the clinic visit. The family asks for more help at night.", NULL),
    T("Reviewed by phone. The family wants the school nurse added to the contacts.", NULL),
};
const struct cmd_demo_text *const cmd_demo_plan_review_words[CMD_DEMO_REVIEW_KINDS] = {
    review_comments, review_changes, review_in_person};
const size_t cmd_demo_plan_review_word_count[CMD_DEMO_REVIEW_KINDS] = {
    CM_ARRAY_LEN(review_comments), CM_ARRAY_LEN(review_changes), CM_ARRAY_LEN(review_in_person)};

/* DEMO-0001's open change request: the family's own words, about the ventilator hours the plan
 * shows (off up to 4 hours a day). */
const struct cmd_demo_text cmd_demo_plan_showcase_request = T(
    "Please change the ventilator time: {name} is off the ventilator 6 hours a day now, not 4. The "
    "lung doctor said so at the last visit.",
    NULL);

const char *const cmd_demo_plan_version_notes[] = {
    "First shared plan, made with the family after enrolment.",
    "Updated after the hospital stay.",
    "Six-month review with the family.",
    "New medicine dose and a new goal.",
    "Changes the family asked for.",
};
const size_t cmd_demo_plan_version_note_count = CM_ARRAY_LEN(cmd_demo_plan_version_notes);
