/*
 * render/plan_pdf: the shared plan of care printed from a plan document built here with jansson
 * (every kind filled, English and Spanish text, one item with no Spanish translation), rendered to
 * real PDFs in a temporary directory and read back with poppler (pdftotext, pdfinfo, pdftoppm), so
 * the tests see what a printer or a PDF viewer sees. All data is synthetic.
 *
 * With CAREMAP_PDF_SAMPLES=<dir> set, the test also writes plan-sample-en.pdf and
 * plan-sample-es.pdf (and the emergency sheets) there and prints the page counts and the median
 * time of 20 renders: that is how docs/examples/ is made.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/data.h"
#include "model/plan_item.h"
#include "render/plan_pdf.h"

#include <cairo.h>
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARENA_CAP (64u << 20)
#define PDF_MAX   (16u << 20)
#define OUT_MAX   (4u << 20)

/* ---- a synthetic plan ------------------------------------------------------------------------ */

/* Ids are large and odd on purpose: none of them may ever appear on paper. */
enum {
    G1 = 70101,
    G2 = 70102,
    C1 = 70201,
    C2 = 70202,
    T1 = 70901,
};

/* One document item: the fields (consumed), lang, and translations (consumed; NULL for none). */
static json_t *
item(const char *kind, json_int_t id, const char *lang, json_t *fields, json_t *translations)
{
    json_t *it = json_pack("{s:I, s:s, s:i, s:I, s:s}", "id", id, "kind", kind, "version", 1,
                           "position", id % 100, "lang", lang);
    assert_non_null(it);
    assert_non_null(fields);
    assert_int_equal(json_object_update(it, fields), 0);
    json_decref(fields);
    assert_int_equal(
        json_object_set_new(it, "translations", translations ? translations : json_object()), 0);
    assert_int_equal(json_object_set_new(it, "created_at", json_string("2026-01-05T10:00:00Z")), 0);
    assert_int_equal(json_object_set_new(it, "updated_at", json_string("2026-01-05T10:00:00Z")), 0);
    assert_int_equal(json_object_set_new(it, "updated_by", json_integer(3)), 0);
    return it;
}

static void
add(json_t *doc, const char *kind, json_t *it)
{
    json_t *arr = json_object_get(json_object_get(doc, "elements"), kind);
    assert_non_null(arr);
    assert_int_equal(json_array_append_new(arr, it), 0);
}

/* A realistic synthetic child: a trach, a ventilator at night, a g-tube, seizures; a family that
 * reads Spanish, a care team that writes mostly in English. */
static json_t *
sample_plan(void)
{
    json_t *doc =
        json_pack("{s:i, s:{s:i, s:s, s:s, s:s, s:s, s:s, s:s}, s:{}, s:[], s:[]}", "format", 1,
                  "child", "id", 12, "record_number", "DEMO-0042", "given_name", "Sofía",
                  "family_name", "Ejemplo", "preferred_name", "Sofi", "birth_date", "2017-03-02",
                  "preferred_language", "es", "elements", "contacts", "family");
    assert_non_null(doc);
    size_t nk = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nk);
    for (size_t k = 0; k < nk; k++)
        json_object_set_new(json_object_get(doc, "elements"), kinds[k].name, json_array());

    add(doc, "summary",
        item("summary", 70001, "en",
             json_pack("{s:s}", "text",
                       "Sofía is 9 and loves music and her big brother. She has a trach and a "
                       "g-tube, and she smiles when you sing to her."),
             json_pack("{s:{s:s}}", "es", "text",
                       "Sofía tiene 9 años y le encantan la música y su hermano mayor. Tiene "
                       "traqueostomía y botón G, y sonríe cuando le cantan.")));

    add(doc, "goal",
        item("goal", G1, "es",
             json_pack("{s:s, s:s, s:s}", "text",
                       "Queremos que Sofía vaya a la escuela tres días a la semana.", "status",
                       "active", "target_date", "2026-09-01"),
             json_pack("{s:{s:s}}", "en", "text",
                       "We want Sofía to go to school three days a week.")));
    add(doc, "goal",
        item("goal", G2, "es",
             json_pack("{s:s, s:s}", "text", "Que la niña duerma toda la noche sin alarmas.",
                       "status", "active"),
             json_pack("{s:{s:s}}", "en", "text",
                       "That our girl sleeps through the night without alarms.")));

    /* No Spanish translation yet: a Spanish reader must see the English, marked. */
    add(doc, "concern",
        item("concern", C1, "en",
             json_pack("{s:s, s:s}", "text", "Weight has not gone up in three months.", "raised_by",
                       "Dr. Lena Rivera"),
             NULL));
    add(doc, "concern",
        item("concern", C2, "en",
             json_pack("{s:s}", "text", "Seizures at night are more frequent since spring."),
             json_pack("{s:{s:s}}", "es", "text",
                       "Las convulsiones de noche son más frecuentes desde la primavera.")));

    add(doc, "action",
        item("action", 70301, "en",
             json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "text",
                       "Write a school health plan with the school nurse.", "goal_id", G1, "owner",
                       "Ada Coordinator", "target_date", "2026-08-15", "status", "in_progress",
                       "icf_domain", "participation"),
             json_pack("{s:{s:s}}", "es", "text",
                       "Hacer un plan de salud escolar con la enfermera de la escuela.")));
    add(doc, "action",
        item("action", 70302, "en",
             json_pack("{s:s, s:i, s:s, s:s, s:s}", "text",
                       "See the dietitian and change the night feeds.", "concern_id", C1, "owner",
                       "Ines Dietitian", "status", "not_started", "icf_domain", "body_functions"),
             json_pack("{s:{s:s}}", "es", "text",
                       "Ver a la dietista y cambiar la alimentación de la noche.")));

    add(doc, "condition",
        item("condition", 70401, "en",
             json_pack("{s:s, s:s, s:s, s:s}", "description", "Seizures (epilepsy)", "code",
                       "G40.909", "body_system", "neurological", "notes",
                       "Seizures happen mostly at night. Rescue medicine after 5 minutes."),
             json_pack("{s:{s:s, s:s}}", "es", "description", "Convulsión (epilepsia)", "notes",
                       "Las convulsiones son casi siempre de noche. Medicina de rescate después "
                       "de 5 minutos.")));
    add(doc, "condition",
        item("condition", 70402, "en",
             json_pack("{s:s, s:s, s:s}", "description", "Cerebral palsy", "code", "G80.0",
                       "body_system", "neurological"),
             json_pack("{s:{s:s}}", "es", "description", "Parálisis cerebral")));
    add(doc, "condition",
        item("condition", 70403, "en",
             json_pack("{s:s, s:s, s:s}", "description",
                       "Chronic lung disease: trach, ventilator at night", "code", "J98.4",
                       "body_system", "respiratory"),
             json_pack("{s:{s:s}}", "es", "description",
                       "Enfermedad pulmonar crónica: traqueostomía, ventilador de noche")));

    add(doc, "allergy",
        item("allergy", 70501, "en",
             json_pack("{s:s, s:s, s:s}", "substance", "Penicillin", "reaction",
                       "Hives and swelling", "severity", "severe"),
             json_pack("{s:{s:s, s:s}}", "es", "substance", "Penicilina", "reaction",
                       "Ronchas e hinchazón")));
    add(doc, "allergy",
        item("allergy", 70502, "en",
             json_pack("{s:s, s:s, s:s}", "substance", "Latex", "reaction", "Rash", "severity",
                       "moderate"),
             json_pack("{s:{s:s, s:s}}", "es", "substance", "Látex", "reaction", "Sarpullido")));

    add(doc, "medication",
        item("medication", 70601, "en",
             json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "name", "Levetiracetam", "dose",
                       "250 mg", "route", "g_tube", "schedule", "Twice a day, 8 am and 8 pm",
                       "purpose", "Prevents seizures", "prescriber", "Dr. Nora Neuro", "key", 1),
             json_pack("{s:{s:s, s:s}}", "es", "schedule", "Dos veces al día, 8 am y 8 pm",
                       "purpose", "Previene las convulsiones")));
    add(doc, "medication",
        item("medication", 70602, "en",
             json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "name", "Midazolam nasal spray",
                       "dose", "5 mg", "route", "nose", "schedule", "If a seizure lasts 5 minutes",
                       "purpose", "Stops a long seizure", "prescriber", "Dr. Nora Neuro", "key", 1),
             json_pack("{s:{s:s, s:s}}", "es", "schedule", "Si una convulsión dura 5 minutos",
                       "purpose", "Detiene una convulsión larga")));
    add(doc, "medication",
        item("medication", 70603, "en",
             json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", "Omeprazole", "dose", "10 mg",
                       "route", "g_tube", "schedule", "Once a day before breakfast", "purpose",
                       "Reflux", "key", 0),
             json_pack("{s:{s:s, s:s}}", "es", "schedule", "Una vez al día antes del desayuno",
                       "purpose", "Reflujo")));

    add(doc, "equipment",
        item("equipment", 70701, "en",
             json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "type", "tracheostomy",
                       "description", "Trach tube, uncuffed", "make", "Bivona FlexTend", "size",
                       "4.0 uncuffed", "supplier", "Demo Home Medical", "supplier_phone",
                       "555-0160", "replace_every_days", 30, "last_replaced", "2026-01-10"),
             json_pack("{s:{s:s}}", "es", "description", "Cánula de traqueostomía, sin balón")));
    add(doc, "equipment",
        item("equipment", 70702, "en",
             json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "ventilator", "make", "Trilogy Evo",
                       "settings",
                       "Night only: PEEP 6, rate 20, tidal volume 150 mL, FiO2 room air",
                       "supplier", "Demo Home Medical", "supplier_phone", "555-0160"),
             NULL));
    add(doc, "equipment",
        item("equipment", 70703, "en",
             json_pack("{s:s, s:s, s:s, s:i}", "type", "gastrostomy", "make", "MIC-KEY", "size",
                       "14 Fr, 1.5 cm", "replace_every_days", 90),
             NULL));

    add(doc, "action_plan",
        item("action_plan", 70801, "en",
             json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", "Fever or breathing trouble",
                       "trigger",
                       "Fever over 38.5 °C, fast breathing, or more secretions than usual.",
                       "steps",
                       "Suction the trach.\nCheck her oxygen with the pulse oximeter.\n"
                       "Give acetaminophen by g-tube if she has a fever.\n"
                       "Call the care coordinator.",
                       "call", "Ada Coordinator 555-0100, or the on-call line 555-0199 at night.",
                       "emergency",
                       "Call 911 if her lips turn blue or the trach comes out and cannot be put "
                       "back.",
                       "note", "A spare trach one size smaller is in the go-bag.", "template",
                       "fever_trach"),
             json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s}}", "es", "title",
                       "Fiebre o dificultad para respirar", "trigger",
                       "Fiebre de más de 38.5 °C, respiración rápida o más secreciones que de "
                       "costumbre.",
                       "steps",
                       "Aspire la traqueostomía.\nMida el oxígeno con el oxímetro.\n"
                       "Dé acetaminofén por el botón G si tiene fiebre.\n"
                       "Llame a la coordinadora de cuidados.",
                       "call", "Ada Coordinator 555-0100, o la línea de guardia 555-0199 de noche.",
                       "emergency",
                       "Llame al 911 si los labios se ponen azules o la cánula se sale y no se "
                       "puede volver a poner.",
                       "note",
                       "Hay una cánula de repuesto, un tamaño más pequeña, en la bolsa de "
                       "emergencia.")));
    add(doc, "action_plan",
        item("action_plan", 70802, "es",
             json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", "Convulsión", "trigger",
                       "Cualquier señal de convulsión: brazos rígidos, mirada fija, sacudidas.",
                       "steps",
                       "Póngala de lado.\nAnote la hora.\n"
                       "Si dura 5 minutos, dé el midazolam en la nariz.",
                       "call", "Neurología 555-0120.", "emergency",
                       "Llame al 911 si la convulsión dura 5 minutos después del midazolam."),
             json_pack("{s:{s:s, s:s, s:s, s:s, s:s}}", "en", "title", "Seizure", "trigger",
                       "Any sign of a seizure: stiff arms, staring, jerking.", "steps",
                       "Turn her on her side.\nNote the time.\n"
                       "If it lasts 5 minutes, give the midazolam in the nose.",
                       "call", "Neurology 555-0120.", "emergency",
                       "Call 911 if the seizure lasts 5 minutes after the midazolam.")));

    add(doc, "transition",
        item("transition", T1, "en",
             json_pack("{s:s, s:s, s:s}", "type", "school_change", "description",
                       "From teaching at home to the school near home.", "target_date",
                       "2026-09-01"),
             json_pack("{s:{s:s}}", "es", "description",
                       "De la enseñanza en casa a la escuela del barrio.")));
    add(doc, "milestone",
        item("milestone", 71001, "en",
             json_pack("{s:I, s:s, s:s, s:s, s:s}", "transition_id", (json_int_t)T1, "text",
                       "Meet the school nurse and share this plan.", "owner", "María Ejemplo",
                       "due_date", "2026-06-15", "status", "not_started"),
             json_pack("{s:{s:s}}", "es", "text",
                       "Reunirse con la enfermera de la escuela y compartir este plan.")));
    add(doc, "milestone",
        item("milestone", 71002, "en",
             json_pack("{s:I, s:s, s:s, s:s, s:s}", "transition_id", (json_int_t)T1, "text",
                       "Teach the school aide to suction the trach.", "owner",
                       "Sunrise Home Nursing", "due_date", "2026-08-01", "status", "in_progress"),
             json_pack("{s:{s:s}}", "es", "text",
                       "Enseñar a la asistente de la escuela a aspirar la cánula.")));

    json_t *contacts = json_object_get(doc, "contacts");
    json_array_append_new(
        contacts, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", 41, "name",
                            "Ada Coordinator", "role", "nurse_care_coordinator", "service",
                            "care coordination", "sector", "medical", "organization", "Demo Clinic",
                            "phone", "555-0100", "email", "ada@example.org", "lead", "lead"));
    json_array_append_new(contacts,
                          json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:s}", "id", 42,
                                    "name", "Ben Backup", "role", "social_worker", "service",
                                    "social work", "sector", "community", "organization",
                                    "Demo Clinic", "phone", "555-0101", "email", "lead", "backup"));
    json_array_append_new(contacts, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:n}", "id",
                                              43, "name", "Dr. Nora Neuro", "role", "neurologist",
                                              "service", "neurology", "sector", "medical",
                                              "organization", "Demo Children's Hospital", "phone",
                                              "555-0120", "email", "lead"));
    json_array_append_new(contacts, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:s}", "id",
                                              44, "name", "Pat Nurse", "role", "home nurse",
                                              "service", "home nursing", "sector", "equipment_home",
                                              "organization", "Sunrise Home Nursing", "phone",
                                              "555-0130", "email", "lead", "none"));
    json_t *family = json_object_get(doc, "family");
    json_array_append_new(family,
                          json_pack("{s:i, s:s, s:s, s:b, s:s, s:n, s:s}", "id", 7, "name",
                                    "María Ejemplo", "relationship", "mother", "is_guardian", 1,
                                    "phone", "555-0142", "email", "preferred_language", "es"));
    json_array_append_new(family,
                          json_pack("{s:i, s:s, s:s, s:b, s:s, s:n, s:s}", "id", 8, "name",
                                    "José Ejemplo", "relationship", "father", "is_guardian", 1,
                                    "phone", "555-0143", "email", "preferred_language", "es"));
    return doc;
}

/* ---- fixture and poppler helpers ------------------------------------------------------------- */

struct fx {
    char dir[64];
    char pdf[128];
    struct cm_arena *arena;
    json_t *plan;
};

static int
fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    memcpy(f->dir, "/tmp/caremap-planpdf-XXXXXX", sizeof("/tmp/caremap-planpdf-XXXXXX"));
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->pdf, sizeof(f->pdf), "%s/plan.pdf", f->dir);
    f->arena = cm_arena_new(ARENA_CAP);
    if (f->arena == NULL)
        return -1;
    f->plan = sample_plan();
    *state = f;
    return 0;
}

static int
fx_teardown(void **state)
{
    struct fx *f = *state;
    /* CAREMAP_PDF_KEEP=1 keeps the rendered files to look at (the path is printed). */
    DIR *d = getenv("CAREMAP_PDF_KEEP") != NULL ? NULL : opendir(f->dir);
    if (d == NULL && getenv("CAREMAP_PDF_KEEP") != NULL)
        print_message("kept %s\n", f->dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[384];
            snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
        rmdir(f->dir);
    }
    json_decref(f->plan);
    cm_arena_free(f->arena);
    free(f);
    return 0;
}

/* Fontconfig is set up once for the group and released at the end, as main does. */
static int
group_setup(void **state)
{
    (void)state;
    struct cm_err err = {0};
    return cm_render_init(&err) == CM_OK ? 0 : -1;
}

static int
group_teardown(void **state)
{
    (void)state;
    cm_render_shutdown();
    return 0;
}

/* Version 3, frozen on 2026-02-01, printed on 2026-03-10, A4. */
static struct cm_plan_pdf_opts
opts(const char *lang, enum cm_plan_pdf_part part)
{
    return (struct cm_plan_pdf_opts){lang, 3, "2026-02-01", "2026-03-10", part, CM_PAPER_A4};
}

static void
write_file(const char *path, const struct cm_buf *out)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(out->data, 1, out->len, fp), out->len);
    assert_int_equal(fclose(fp), 0);
}

/* Renders doc with o, expecting success, into f->pdf. */
static void
render_to_file(struct fx *f, const json_t *doc, const struct cm_plan_pdf_opts *o)
{
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, f->arena, PDF_MAX);
    enum cm_code rc = cm_render_plan_pdf(doc, o, &out, f->arena, &err);
    if (rc != CM_OK)
        fail_msg("cm_render_plan_pdf: %s: %s", err.field, err.msg);
    assert_true(out.len > 1000);
    assert_memory_equal(out.data, "%PDF-", 5);
    write_file(f->pdf, &out);
}

/* Runs a shell command (made only of our own paths) and returns its stdout, malloc'd. */
static char *
run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = malloc(OUT_MAX + 1);
    assert_non_null(buf);
    size_t n = fread(buf, 1, OUT_MAX, p);
    buf[n] = '\0';
    int status = pclose(p);
    if (status != 0)
        fail_msg("'%s' exited with %d", cmd, status);
    return buf;
}

static int
pdfinfo_pages(const struct fx *f)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", f->pdf);
    char *info = run(cmd);
    const char *line = strstr(info, "Pages:");
    assert_non_null(line);
    int pages = atoi(line + strlen("Pages:"));
    free(info);
    return pages;
}

/* Collapses every run of whitespace in s to one space, in place, so wrapped text compares. */
static void
squeeze(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
            space = true;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
}

/* What every page of a plan must show: the running header and the footer's words. */
struct running {
    const char *head_left;  /* "Sofía Ejemplo · DEMO-0042" */
    const char *head_right; /* "Version 3 · 2026-02-01" */
    const char *foot_left;  /* "Shared plan of care · Printed on 2026-03-10" */
    const char *page;       /* "page " */
    const char *of;         /* " of " */
};

static const struct running en_running = {"Sofía Ejemplo · DEMO-0042", "Version 3 · 2026-02-01",
                                          "Shared plan of care · Printed on 2026-03-10", "page ",
                                          " of "};
static const struct running es_running = {"Sofía Ejemplo · DEMO-0042", "Versión 3 · 2026-02-01",
                                          "Plan de cuidado compartido · Impreso el 2026-03-10",
                                          "página ", " de "};

/* The text of a rendered PDF, page by page, without the running header and footer. */
struct pages {
    int n;
    char *body[64]; /* squeezed */
    char *all;      /* every body in order, pages separated by " | " */
};

static void
pages_free(struct pages *pg)
{
    for (int i = 0; i < pg->n; i++)
        free(pg->body[i]);
    free(pg->all);
}

/*
 * Reads f->pdf back. With pdftotext -layout, each page's first line must hold the header (left and
 * right) and its last line the footer "<page>i<of>N", N being the page count pdfinfo reports.
 * The bodies come from pdftotext's reading order (no -layout), in which a table cell's lines stay
 * together, so wrapped cells compare whole; the header and footer are checked there too and cut.
 */
static struct pages
read_pages(struct fx *f, const struct running *r)
{
    int expect = pdfinfo_pages(f);
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", f->pdf);
    char *text = run(cmd);
    int n = 0;
    for (char *p = text; *p;) {
        char *ff = strchr(p, '\f');
        if (ff == NULL)
            break; /* pdftotext ends every page, the last included, with a form feed */
        *ff = '\0';
        n++;
        while (*p == '\n')
            p++;
        char *first_end = strchr(p, '\n');
        assert_non_null(first_end);
        *first_end = '\0';
        if (strstr(p, r->head_left) == NULL || strstr(p, r->head_right) == NULL)
            fail_msg("page %d header line is '%s'", n, p);
        char *end = ff;
        while (end > first_end + 1 && end[-1] == '\n')
            end--;
        *end = '\0';
        char *last = strrchr(first_end + 1, '\n');
        last = last ? last + 1 : first_end + 1;
        char want[128];
        snprintf(want, sizeof(want), "%s%d%s%d", r->page, n, r->of, expect);
        if (strstr(last, want) == NULL || strstr(last, r->foot_left) == NULL)
            fail_msg("page %d footer line is '%s', want '%s'", n, last, want);
        p = ff + 1;
    }
    free(text);
    assert_int_equal(n, expect);

    snprintf(cmd, sizeof(cmd), "pdftotext '%s' -", f->pdf);
    text = run(cmd);
    struct pages pg = {0};
    size_t cap = strlen(text) + 4 * 64 + 1, len = 0;
    pg.all = calloc(1, cap);
    assert_non_null(pg.all);
    for (char *p = text; *p;) {
        char *ff = strchr(p, '\f');
        if (ff == NULL)
            break;
        *ff = '\0';
        assert_true(pg.n < 64);
        char *body = strdup(p);
        assert_non_null(body);
        squeeze(body);
        /* The header opens the page. The footer's two parts are the page's last words in
         * -layout order, but reading order may put the value column's last line between them:
         * cut their last occurrences, wherever they are. */
        char head[256], num[64];
        snprintf(head, sizeof(head), "%s %s ", r->head_left, r->head_right);
        snprintf(num, sizeof(num), "%s%d%s%d", r->page, pg.n + 1, r->of, expect);
        size_t hl = strlen(head);
        if (strncmp(body, head, hl) != 0)
            fail_msg("page %d does not open with '%s': '%.200s'", pg.n + 1, head, body);
        memmove(body, body + hl, strlen(body + hl) + 1);
        const char *const cut[2] = {num, r->foot_left};
        for (int c = 0; c < 2; c++) {
            char *last = NULL;
            for (char *s = body; (s = strstr(s, cut[c])) != NULL; s++)
                last = s;
            if (last == NULL)
                fail_msg("page %d has no '%s'", pg.n + 1, cut[c]);
            size_t k = strlen(cut[c]);
            memmove(last, last + k, strlen(last + k) + 1);
        }
        squeeze(body);
        pg.body[pg.n++] = body;
        size_t k = strlen(body);
        assert_true(len + k + 4 <= cap);
        memcpy(pg.all + len, body, k);
        len += k;
        memcpy(pg.all + len, " | ", 4);
        len += 3;
        p = ff + 1;
    }
    free(text);
    assert_int_equal(pg.n, expect);
    return pg;
}

/* Asserts each of n texts occurs in hay, each after the one before. */
static void
assert_in_order(const char *hay, const char *const *texts, size_t n)
{
    const char *at = hay;
    for (size_t i = 0; i < n; i++) {
        char want[2048];
        snprintf(want, sizeof(want), "%s", texts[i]);
        squeeze(want);
        const char *hit = strstr(at, want);
        if (hit == NULL)
            fail_msg("text %zu '%s' not found in order%s", i, want,
                     strstr(hay, want) ? " (it appears earlier)" : "");
        at = hit + strlen(want);
    }
}

static void
assert_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle) == NULL)
        fail_msg("'%s' is not printed", needle);
}

static void
assert_absent(const char *hay, const char *needle)
{
    if (strstr(hay, needle) != NULL)
        fail_msg("'%s' should not be printed", needle);
}

/* Removes the items of kind from the plan from index from on. */
static void
truncate_kind(json_t *plan, const char *kind, size_t from)
{
    json_t *arr = json_object_get(json_object_get(plan, "elements"), kind);
    assert_non_null(arr);
    while (json_array_size(arr) > from)
        assert_int_equal(json_array_remove(arr, json_array_size(arr) - 1), 0);
}

/* ---- the whole plan -------------------------------------------------------------------------- */

static void
test_english_plan_prints_every_element_in_order_with_page_x_of_y(void **state)
{
    struct fx *f = *state;
    struct cm_plan_pdf_opts o = opts("en", CM_PLAN_PDF_FULL);
    render_to_file(f, f->plan, &o);
    struct pages pg = read_pages(f, &en_running);
    static const char *const order[] = {
        /* page 1: the emergency sheet */
        "Emergency information",
        "Sofía Ejemplo (Sofi) · Date of birth: 2017-03-02 · Preferred language: Spanish",
        "About me Sofía is 9 and loves music and her big brother.",
        "Health problems Seizures (epilepsy) Cerebral palsy Chronic lung disease: trach, "
        "ventilator at night",
        "Allergies Penicillin — Hives and swelling — Severe Latex — Rash — Moderate",
        "Key medicines",
        "Levetiracetam: 250 mg · Through the g-tube · Twice a day, 8 am and 8 pm · Prevents "
        "seizures",
        "Midazolam nasal spray: 5 mg · In the nose · If a seizure lasts 5 minutes · Stops a long "
        "seizure",
        "Equipment and supplies",
        "Trach (tracheostomy tube): Trach tube, uncuffed · Bivona FlexTend · 4.0 uncuffed",
        "Ventilator: Trilogy Evo · Night only: PEEP 6, rate 20, tidal volume 150 mL",
        "G-tube (gastrostomy): MIC-KEY · 14 Fr, 1.5 cm",
        "Sick-day plan: Fever or breathing trouble",
        "When to use this plan Fever over 38.5 °C, fast breathing, or more secretions than usual.",
        "Who to call Ada Coordinator 555-0100, or the on-call line 555-0199 at night.",
        "When to call 911 or go to the emergency room Call 911 if her lips turn blue",
        "Sick-day plan: Seizure", "Who to call",
        "Lead coordinator Ada Coordinator · Demo Clinic · 555-0100",
        "Backup coordinator Ben Backup · Demo Clinic · 555-0101",
        "Mother, legal guardian María Ejemplo · 555-0142",
        "Father, legal guardian José Ejemplo · 555-0143",
        /* then the plan */
        "Shared plan of care", "Family goals", "We want Sofía to go to school three days a week.",
        "Status: Working on it Hope to reach by: 2026-09-01",
        "That our girl sleeps through the night without alarms.", "Care team concerns",
        "Weight has not gone up in three months.", "Raised by: Dr. Lena Rivera",
        "Seizures at night are more frequent since spring.", "What we agreed to do",
        "Write a school health plan with the school nurse.",
        "For the family goal: We want Sofía to go to school three days a week.",
        "Who does it: Ada Coordinator", "By when: 2026-08-15", "Status: In progress",
        "Area of life: Taking part in family, school and community",
        "See the dietitian and change the night feeds.",
        "For the team concern: Weight has not gone up in three months.",
        "Area of life: Body and health", "Health problems", "Seizures (epilepsy)",
        "ICD-10 code: G40.909", "Part of the body: Brain and nerves",
        "Notes: Seizures happen mostly at night. Rescue medicine after 5 minutes.",
        "Cerebral palsy", "ICD-10 code: G80.0", "Chronic lung disease",
        "Part of the body: Lungs and breathing", "Medicines", "Levetiracetam", "Dose: 250 mg",
        "How it is given: Through the g-tube", "When: Twice a day, 8 am and 8 pm",
        "What it is for: Prevents seizures", "Prescribed by: Dr. Nora Neuro",
        "On the emergency sheet: Yes", "Midazolam nasal spray", "Omeprazole",
        "On the emergency sheet: No", "Equipment and supplies", "Trach (tracheostomy tube)",
        "What it is: Trach tube, uncuffed", "Make and model: Bivona FlexTend", "Size: 4.0 uncuffed",
        "Supplier: Demo Home Medical", "Supplier phone: 555-0160", "Replace every (days): 30",
        "Last replaced: 2026-01-10", "Ventilator", "Settings: Night only: PEEP 6",
        "G-tube (gastrostomy)", "Size: 14 Fr, 1.5 cm", "Sick-day and emergency plans",
        "Fever or breathing trouble", "See the emergency information at the start of this plan",
        "What to do: 1. Suction the trach. 2. Check her oxygen with the pulse oximeter. 3. Give "
        "acetaminophen by g-tube if she has a fever. 4. Call the care coordinator.",
        "Note: A spare trach one size smaller is in the go-bag.", "Seizure",
        "See the emergency information at the start of this plan",
        "1. Turn her on her side. 2. Note the time.", "Care team and contacts", "Ada Coordinator",
        "Lead coordinator · Nurse care coordinator · care coordination", "Demo Clinic",
        "555-0100 · ada@example.org", "Ben Backup",
        "Backup coordinator · Social worker · social work", "Dr. Nora Neuro",
        "neurologist · neurology", "Demo Children's Hospital", "555-0120", "Pat Nurse", "Family",
        "María Ejemplo", "Relationship: Mother, legal guardian", "Phone: 555-0142",
        "Preferred language: Spanish", "José Ejemplo", "Transitions", "Change of school",
        "What is changing: From teaching at home to the school near home.",
        "Planned for: 2026-09-01", "Steps of the transition",
        "Meet the school nurse and share this plan.", "Who does it: María Ejemplo",
        "By when: 2026-06-15", "Status: Not started", "Teach the school aide to suction the trach.",
        "Who does it: Sunrise Home Nursing", "Status: In progress"};
    assert_in_order(pg.all, order, CM_ARRAY_LEN(order));
    /* An English reader of English and translated text sees no "not translated" marker. */
    assert_absent(pg.all, "Not translated yet");
    assert_true(pg.n >= 3);
    pages_free(&pg);
}

static void
test_spanish_plan_keeps_accents_and_marks_the_untranslated_item(void **state)
{
    struct fx *f = *state;
    struct cm_plan_pdf_opts o = opts("es", CM_PLAN_PDF_FULL);
    render_to_file(f, f->plan, &o);
    struct pages pg = read_pages(f, &es_running);
    static const char *const order[] = {
        "Información de emergencia",
        "Sofía Ejemplo (Sofi) · Fecha de nacimiento: 2017-03-02 · Idioma preferido: Español",
        "Sobre mí Sofía tiene 9 años y le encantan la música y su hermano mayor.",
        "Problemas de salud Convulsión (epilepsia) Parálisis cerebral Enfermedad pulmonar "
        "crónica: traqueostomía, ventilador de noche",
        "Alergias Penicilina — Ronchas e hinchazón — Grave Látex — Sarpullido — Moderada",
        "Medicinas importantes",
        "Levetiracetam: 250 mg · Por el tubo del estómago (botón G) · Dos veces al día, 8 am y 8 "
        "pm · Previene las convulsiones",
        "Equipos y materiales",
        "Traqueostomía (cánula): Cánula de traqueostomía, sin balón · Bivona FlexTend · 4.0 "
        "uncuffed",
        "Plan para días de enfermedad: Fiebre o dificultad para respirar",
        "Cuándo usar este plan Fiebre de más de 38.5 °C, respiración rápida o más secreciones "
        "que de costumbre.",
        "Plan para días de enfermedad: Convulsión",
        "Cualquier señal de convulsión: brazos rígidos, mirada fija, sacudidas.",
        "A quién llamar",
        "Coordinador(a) principal Ada Coordinator · Demo Clinic · 555-0100",
        "Coordinador(a) suplente Ben Backup",
        "Madre, tutor(a) legal María Ejemplo · 555-0142",
        "Plan de cuidado compartido",
        "Metas de la familia",
        "Queremos que Sofía vaya a la escuela tres días a la semana.",
        "Estado: En proceso Esperamos lograrlo para: 2026-09-01",
        "Que la niña duerma toda la noche sin alarmas.",
        "Preocupaciones del equipo",
        "Weight has not gone up in three months. (Aún no traducido)",
        "Planteada por: Dr. Lena Rivera",
        "Las convulsiones de noche son más frecuentes desde la primavera.",
        "Lo que acordamos hacer",
        "Hacer un plan de salud escolar con la enfermera de la escuela.",
        "Para la meta de la familia: Queremos que Sofía vaya a la escuela tres días a la semana.",
        "Área de la vida: Participar en la familia, la escuela y la comunidad",
        "Para la preocupación del equipo: Weight has not gone up in three months. (Aún no "
        "traducido)",
        "Problemas de salud",
        "Convulsión (epilepsia)",
        "Código CIE-10: G40.909",
        "Parte del cuerpo: Cerebro y nervios",
        "Notas: Las convulsiones son casi siempre de noche.",
        "Medicinas",
        "Levetiracetam",
        "Cómo se da: Por el tubo del estómago (botón G)",
        "Cuándo: Dos veces al día, 8 am y 8 pm",
        "En la hoja de emergencia: Sí",
        "Equipos y materiales",
        "Traqueostomía (cánula)",
        "Tamaño: 4.0 uncuffed",
        "Cambiar cada (días): 30",
        "Último cambio: 2026-01-10",
        "Planes para días de enfermedad y emergencias",
        "Fiebre o dificultad para respirar",
        "Qué hacer: 1. Aspire la traqueostomía. 2. Mida el oxígeno con el oxímetro. 3. Dé "
        "acetaminofén por el botón G si tiene fiebre.",
        "Nota: Hay una cánula de repuesto, un tamaño más pequeña, en la bolsa de emergencia.",
        "Equipo de cuidado y contactos",
        "Ada Coordinator",
        "Coordinador(a) principal · Enfermera(o) coordinador(a) de cuidados · care coordination",
        "Demo Clinic",
        "555-0100 · ada@example.org",
        "Familia",
        "María Ejemplo",
        "Parentesco: Madre, tutor(a) legal",
        "Idioma preferido: Español",
        "Cambios de etapa",
        "Cambio de escuela",
        "Qué va a cambiar: De la enseñanza en casa a la escuela del barrio.",
        "Planeado para: 2026-09-01",
        "Pasos del cambio",
        "Reunirse con la enfermera de la escuela y compartir este plan.",
        "Quién lo hace: María Ejemplo",
        "Para cuándo: 2026-06-15",
        "Estado: Sin empezar",
        "Enseñar a la asistente de la escuela a aspirar la cánula.",
        "Estado: En proceso"};
    assert_in_order(pg.all, order, CM_ARRAY_LEN(order));
    /* Only the one item nobody translated is marked; its original English is printed as is. */
    const char *first = strstr(pg.all, "(Aún no traducido)");
    assert_non_null(first);
    assert_in_order(pg.all, (const char *const[]){"Weight has not gone up"}, 1);
    assert_absent(pg.all, "Not translated yet");
    /* The English originals of translated items are not printed to a Spanish reader. */
    assert_absent(pg.all, "Seizures at night");
    assert_absent(pg.all, "Penicillin");
    assert_absent(pg.all, "Suction the trach");
    pages_free(&pg);
}

static void
test_english_reader_sees_spanish_original_marked_not_translated(void **state)
{
    struct fx *f = *state;
    json_t *goal = json_array_get(json_object_get(json_object_get(f->plan, "elements"), "goal"), 1);
    assert_int_equal(json_object_set_new(goal, "translations", json_object()), 0);
    struct cm_plan_pdf_opts o = opts("en", CM_PLAN_PDF_FULL);
    render_to_file(f, f->plan, &o);
    struct pages pg = read_pages(f, &en_running);
    assert_contains(pg.all, "Que la niña duerma toda la noche sin alarmas. (Not translated yet)");
    /* Only that text is marked: one marker in the whole plan. */
    const char *m = strstr(pg.all, "(Not translated yet)");
    assert_non_null(m);
    assert_null(strstr(m + 1, "(Not translated yet)"));
    pages_free(&pg);
}

static void
test_plan_after_the_emergency_sheet_starts_on_a_new_page(void **state)
{
    struct fx *f = *state;
    struct cm_plan_pdf_opts o = opts("en", CM_PLAN_PDF_EMERGENCY);
    render_to_file(f, f->plan, &o);
    struct pages sheet = read_pages(f, &en_running);
    o.part = CM_PLAN_PDF_FULL;
    render_to_file(f, f->plan, &o);
    struct pages full = read_pages(f, &en_running);
    /* The full plan begins with exactly the pages of the emergency sheet, then a new page opens
     * with the plan's title. */
    assert_true(full.n > sheet.n);
    for (int i = 0; i < sheet.n; i++)
        assert_string_equal(full.body[i], sheet.body[i]);
    assert_int_equal(strncmp(full.body[sheet.n], "Shared plan of care Family goals", 32), 0);
    assert_absent(sheet.all, "Family goals");
    pages_free(&sheet);
    pages_free(&full);
}

static void
test_every_kind_is_named_in_the_printed_plan(void **state)
{
    struct fx *f = *state;
    static const char *const langs[] = {"en", "es"};
    static const struct running *const runs[] = {&en_running, &es_running};
    size_t nk = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nk);
    for (size_t l = 0; l < 2; l++) {
        char name[64];
        snprintf(name, sizeof(name), "messages/%s/plan.json", langs[l]);
        const struct cm_data_file *file = cm_data_find(name);
        assert_non_null(file);
        json_t *labels = json_loadb(file->data, file->len, 0, NULL);
        assert_non_null(labels);
        struct cm_plan_pdf_opts o = opts(langs[l], CM_PLAN_PDF_FULL);
        render_to_file(f, f->plan, &o);
        struct pages pg = read_pages(f, runs[l]);
        /* Every kind's name (plan.kind.<kind>) is printed, so a reader finds each part of the
         * plan under the words the browser uses for it. */
        for (size_t k = 0; k < nk; k++) {
            char key[64];
            snprintf(key, sizeof(key), "plan.kind.%s", kinds[k].name);
            const char *label = json_string_value(json_object_get(labels, key));
            assert_non_null(label);
            assert_contains(pg.all, label);
        }
        json_decref(labels);
        pages_free(&pg);
    }
}

/* ---- the emergency sheet --------------------------------------------------------------------- */

static void
test_emergency_sheet_of_a_typical_plan_is_one_page_with_allergy_and_trach_size(void **state)
{
    struct fx *f = *state;
    /* A typical plan has one sick-day plan; the sample's second one is removed. */
    truncate_kind(f->plan, "action_plan", 1);
    static const char *const langs[] = {"en", "es"};
    static const struct running *const runs[] = {&en_running, &es_running};
    for (size_t l = 0; l < 2; l++) {
        struct cm_plan_pdf_opts o = opts(langs[l], CM_PLAN_PDF_EMERGENCY);
        render_to_file(f, f->plan, &o);
        assert_int_equal(pdfinfo_pages(f), 1);
        struct pages pg = read_pages(f, runs[l]);
        assert_contains(pg.all, l == 0 ? "Penicillin — Hives and swelling — Severe"
                                       : "Penicilina — Ronchas e hinchazón — Grave");
        assert_contains(pg.all, "4.0 uncuffed");
        assert_contains(pg.all, l == 0 ? "Lead coordinator Ada Coordinator"
                                       : "Coordinador(a) principal Ada Coordinator");
        /* Nothing of the rest of the plan. */
        assert_absent(pg.all, l == 0 ? "Family goals" : "Metas de la familia");
        assert_absent(pg.all, "Omeprazole"); /* not a key medicine */
        pages_free(&pg);
    }
}

static void
test_long_emergency_sheet_flows_onto_more_pages_without_losing_anything(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < 40; i++) {
        char substance[64];
        snprintf(substance, sizeof(substance), "Synthetic allergen number %d", i + 1);
        add(f->plan, "allergy",
            item("allergy", 72000 + i, "en",
                 json_pack("{s:s, s:s, s:s}", "substance", substance, "reaction",
                           "Hives on the arms and legs", "severity", "mild"),
                 NULL));
    }
    struct cm_plan_pdf_opts o = opts("en", CM_PLAN_PDF_EMERGENCY);
    render_to_file(f, f->plan, &o);
    struct pages pg = read_pages(f, &en_running);
    assert_true(pg.n >= 2);
    for (int i = 0; i < 40; i++) {
        char want[96];
        snprintf(want, sizeof(want), "Synthetic allergen number %d — Hives", i + 1);
        assert_contains(pg.all, want);
    }
    /* Who to call still closes the sheet, on its last page. */
    assert_contains(pg.body[pg.n - 1], "Father, legal guardian José Ejemplo · 555-0143");
    pages_free(&pg);
}

static void
test_no_allergies_says_none_recorded(void **state)
{
    struct fx *f = *state;
    truncate_kind(f->plan, "allergy", 0);
    truncate_kind(f->plan, "action_plan", 0);
    struct cm_plan_pdf_opts o = opts("es", CM_PLAN_PDF_EMERGENCY);
    render_to_file(f, f->plan, &o);
    struct pages pg = read_pages(f, &es_running);
    assert_contains(pg.all, "Alergias Nada registrado");
    assert_contains(pg.all, "Planes para días de enfermedad y emergencias Nada registrado");
    pages_free(&pg);
}

static void
test_first_page_is_not_blank(void **state)
{
    struct fx *f = *state;
    struct cm_plan_pdf_opts o = opts("en", CM_PLAN_PDF_FULL);
    render_to_file(f, f->plan, &o);
    char cmd[512], png[192];
    snprintf(cmd, sizeof(cmd), "pdftoppm -png -r 50 -f 1 -l 1 -singlefile '%s' '%s/page'", f->pdf,
             f->dir);
    free(run(cmd));
    snprintf(png, sizeof(png), "%s/page.png", f->dir);
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    assert_true(w > 300 && h > 400);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *data = cairo_image_surface_get_data(img);
    long dark = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++)
            if ((row[x] & 0xffffff) != 0xffffff)
                dark++;
    }
    cairo_surface_destroy(img);
    /* A page of text at 50 dpi: thousands of inked pixels, and far from all of them. */
    assert_true(dark > 2000);
    assert_true(dark < (long)w * h / 2);
}

/* ---- what is printed and what is not --------------------------------------------------------- */

static void
test_internal_ids_and_raw_choice_values_are_never_printed(void **state)
{
    struct fx *f = *state;
    static const char *const langs[] = {"en", "es"};
    static const struct running *const runs[] = {&en_running, &es_running};
    for (size_t l = 0; l < 2; l++) {
        struct cm_plan_pdf_opts o = opts(langs[l], CM_PLAN_PDF_FULL);
        render_to_file(f, f->plan, &o);
        struct pages pg = read_pages(f, runs[l]);
        /* Every item id of the sample starts with 70 or 71 and has five digits. */
        for (const char *s = pg.all; (s = strpbrk(s, "7")) != NULL; s++)
            if ((s[1] == '0' || s[1] == '1') && strspn(s, "0123456789") == 5)
                fail_msg("an id is printed: '%.20s'", s);
        static const char *const raw[] = {"g_tube",       "nurse_care_coordinator",
                                          "in_progress",  "school_change",
                                          "fever_trach",  "body_functions",
                                          "neurological", "tracheostomy tube)" /* label only */};
        for (size_t i = 0; i + 1 < CM_ARRAY_LEN(raw); i++)
            assert_absent(pg.all, raw[i]);
        assert_absent(pg.all, "2026-01-05T"); /* bookkeeping times */
        pages_free(&pg);
    }
}

static void
test_draft_is_marked_draft_with_the_date_printed(void **state)
{
    struct fx *f = *state;
    struct cm_plan_pdf_opts o = {"en",           0, NULL, "2026-03-10", CM_PLAN_PDF_EMERGENCY,
                                 CM_PAPER_LETTER};
    render_to_file(f, f->plan, &o);
    struct running r = {"Sofía Ejemplo · DEMO-0042", "Draft · printed 2026-03-10",
                        "Shared plan of care", "page ", " of "};
    struct pages pg = read_pages(f, &r);
    assert_int_equal(
        strncmp(pg.body[0], "Emergency information Draft: not yet reviewed with the family", 61),
        0);
    pages_free(&pg);
    /* US Letter when asked. */
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", f->pdf);
    char *info = run(cmd);
    assert_contains(info, "612 x 792 pts");
    free(info);
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void
expect_invalid(struct fx *f, const json_t *doc, const char *lang, const char *field)
{
    struct cm_plan_pdf_opts o = opts(lang, CM_PLAN_PDF_FULL);
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, f->arena, PDF_MAX);
    assert_int_equal(cm_render_plan_pdf(doc, &o, &out, f->arena, &err), CM_EINVAL);
    assert_int_equal(err.code, CM_EINVAL);
    assert_string_equal(err.field, field);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(out.len, 0);
}

static void
test_document_of_the_wrong_shape_is_invalid(void **state)
{
    struct fx *f = *state;
    json_t *arr = json_array();
    expect_invalid(f, arr, "en", "document");
    json_decref(arr);
    expect_invalid(f, NULL, "en", "document");

    json_t *doc = json_deep_copy(f->plan);
    json_object_del(doc, "child");
    expect_invalid(f, doc, "en", "document");
    json_decref(doc);

    doc = json_deep_copy(f->plan);
    json_object_set_new(doc, "elements", json_array());
    expect_invalid(f, doc, "en", "document");
    json_object_del(doc, "elements");
    expect_invalid(f, doc, "en", "document");
    json_decref(doc);

    doc = json_deep_copy(f->plan);
    json_object_set_new(json_object_get(doc, "elements"), "goal", json_object());
    expect_invalid(f, doc, "en", "document");
    json_object_set_new(json_object_get(doc, "elements"), "goal", json_pack("[s]", "a goal"));
    expect_invalid(f, doc, "en", "document");
    json_decref(doc);

    doc = json_deep_copy(f->plan);
    json_object_set_new(doc, "contacts", json_string("Ada"));
    expect_invalid(f, doc, "en", "document");
    json_decref(doc);
}

static void
test_unknown_language_is_invalid(void **state)
{
    struct fx *f = *state;
    expect_invalid(f, f->plan, "fr", "lang");
    expect_invalid(f, f->plan, "EN", "lang");
    expect_invalid(f, f->plan, NULL, "lang");
}

static void
test_print_labels_exist_in_both_languages(void **state)
{
    (void)state;
    const struct cm_data_file *en = cm_data_find("messages/en/print.json");
    const struct cm_data_file *es = cm_data_find("messages/es/print.json");
    assert_non_null(en);
    assert_non_null(es);
    json_t *e = json_loadb(en->data, en->len, 0, NULL);
    json_t *s = json_loadb(es->data, es->len, 0, NULL);
    assert_true(json_is_object(e) && json_is_object(s));
    assert_int_equal(json_object_size(e), json_object_size(s));
    const char *key;
    json_t *v;
    json_object_foreach(e, key, v)
    {
        assert_int_equal(strncmp(key, "print.", 6), 0);
        const char *other = json_string_value(json_object_get(s, key));
        if (other == NULL || *other == '\0' || json_string_length(v) == 0)
            fail_msg("'%s' is missing or empty in one language", key);
    }
    /* The page template must carry both numbers, in both languages. */
    for (int i = 0; i < 2; i++) {
        const char *page = json_string_value(json_object_get(i ? s : e, "print.page"));
        assert_non_null(page);
        assert_non_null(strstr(page, "{page}"));
        assert_non_null(strstr(page, "{pages}"));
    }
    json_decref(e);
    json_decref(s);
}

/* ---- samples --------------------------------------------------------------------------------- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/*
 * Writes plan-sample-en.pdf and plan-sample-es.pdf into dir and prints their page counts, their
 * emergency sheets' page counts, and the median time of 20 renders of each. The samples show a
 * typical plan: the sample child with one sick-day plan, so that its emergency sheet is one page.
 */
static int
write_samples(const char *dir)
{
    struct cm_err err = {0};
    if (cm_render_init(&err) != CM_OK)
        return 1;
    json_t *plan = sample_plan();
    truncate_kind(plan, "action_plan", 1);
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    static const char *const langs[] = {"en", "es"};
    int rc = 0;
    for (size_t l = 0; l < 2 && rc == 0; l++) {
        for (int part = 0; part < 2 && rc == 0; part++) {
            struct cm_plan_pdf_opts o =
                opts(langs[l], part ? CM_PLAN_PDF_EMERGENCY : CM_PLAN_PDF_FULL);
            double ms[20];
            struct cm_buf out = {0};
            for (int i = 0; i < 20 && rc == 0; i++) {
                cm_arena_reset(a);
                cm_buf_init(&out, a, PDF_MAX);
                double t0 = cm_time_mono_ms();
                if (cm_render_plan_pdf(plan, &o, &out, a, &err) != CM_OK)
                    rc = 1;
                ms[i] = cm_time_mono_ms() - t0;
            }
            if (rc != 0)
                break;
            char path[512];
            snprintf(path, sizeof(path), "%s/%s-sample-%s.pdf", dir, part ? "emergency" : "plan",
                     langs[l]);
            FILE *fp = fopen(path, "wb");
            if (fp == NULL || fwrite(out.data, 1, out.len, fp) != out.len)
                rc = 1;
            if (fp != NULL && fclose(fp) != 0)
                rc = 1;
            char cmd[640];
            snprintf(cmd, sizeof(cmd), "pdfinfo '%s' | grep Pages:", path);
            qsort(ms, 20, sizeof(ms[0]), cmp_double);
            printf("%s: %zu bytes, median of 20 renders %.1f ms (min %.1f, max %.1f); ", path,
                   out.len, (ms[9] + ms[10]) / 2, ms[0], ms[19]);
            fflush(stdout);
            if (system(cmd) != 0)
                rc = 1;
            /* The emergency sheet alone is timed and counted, not kept. */
            if (part)
                unlink(path);
        }
    }
    if (rc != 0)
        fprintf(stderr, "samples: %s: %s\n", err.field, err.msg);
    cm_arena_free(a);
    json_decref(plan);
    cm_render_shutdown();
    return rc;
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
    const char *samples = getenv("CAREMAP_PDF_SAMPLES");
    if (samples != NULL && *samples != '\0' && write_samples(samples) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        T(test_english_plan_prints_every_element_in_order_with_page_x_of_y),
        T(test_spanish_plan_keeps_accents_and_marks_the_untranslated_item),
        T(test_english_reader_sees_spanish_original_marked_not_translated),
        T(test_plan_after_the_emergency_sheet_starts_on_a_new_page),
        T(test_every_kind_is_named_in_the_printed_plan),
        T(test_emergency_sheet_of_a_typical_plan_is_one_page_with_allergy_and_trach_size),
        T(test_long_emergency_sheet_flows_onto_more_pages_without_losing_anything),
        T(test_no_allergies_says_none_recorded),
        T(test_first_page_is_not_blank),
        T(test_internal_ids_and_raw_choice_values_are_never_printed),
        T(test_draft_is_marked_draft_with_the_date_printed),
        T(test_document_of_the_wrong_shape_is_invalid),
        T(test_unknown_language_is_invalid),
        T(test_print_labels_exist_in_both_languages),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
