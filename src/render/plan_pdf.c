/*
 * render/plan_pdf: the shared plan of care on paper (issue 5). The plan document (docs/plan.md) is
 * turned into a flat list of calls to the domain-free renderer (render.h); cm_render_pdf() does the
 * layout. The fields printed come from the kind table (model/plan_item.h), not from names written
 * here: the emergency sheet prints the fields marked emergency, the later sections print every
 * field, so a field added to the table is printed without a change here.
 *
 * Layout (docs/plan.md "On paper"):
 *   page 1   the emergency sheet, standing alone: who the child is, about me, health problems and
 *            allergies in one form-like table; key medicines and equipment one line each; each
 *            sick-day plan as a table with its steps numbered; who to call. It flows onto a second
 *            page rather than lose anything, and a page break always follows it;
 *   then     family goals, team concerns, what we agreed to do, health problems, medicines,
 *            equipment, the sick-day plans (a pointer to the sheet, and their notes), care team
 *            and contacts, transitions with their steps: each a heading and a table with one row
 * per item, what the item is (its first declared field: the goal, the medicine's name, the
 *            equipment's type) as the label and its other fields, labelled, as the value.
 * Headings are never followed directly by another heading: the renderer keeps a heading with the
 * next two lines only, so a heading above a heading could be left alone at the foot of a page.
 */
#include "render/plan_pdf.h"

#include "core/data.h"
#include "model/plan_item.h"
#include "plan/plan.h"

#include <string.h>

/* The level of the section headings on the emergency sheet: the smallest, for room. */
#define EMERGENCY_HEADING 3
/* 1 cm rather than the renderer's 2 cm: with it a typical emergency sheet (one sick-day plan,
 * trach, ventilator and g-tube, two key medicines) stands on one page in both languages, and
 * printers print 1 cm margins whole. */
#define MARGIN_PT 28.35

/* Everything one call works with. Strings it builds live in the caller's arena. */
struct pp {
    struct cm_doc *doc;
    const json_t *root;
    const json_t *elements;
    const char *lang;
    json_t *plan_msgs;  /* data/messages/<lang>/plan.json */
    json_t *print_msgs; /* data/messages/<lang>/print.json */
    struct cm_arena *a;
    bool oom; /* an arena allocation failed: the result is CM_ETOOBIG */
};

/* ---- strings --------------------------------------------------------------------------------- */

/* Arena printf that never returns NULL: an exhausted arena is remembered and reported once, at the
 * end, so the layout below stays a flat list of calls. */
static const char *fmt(struct pp *p, const char *f, ...) CM_PRINTF(2, 3);
static const char *
fmt(struct pp *p, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    const char *s = cm_arena_vprintf(p->a, f, ap);
    va_end(ap);
    if (s == NULL) {
        p->oom = true;
        return "";
    }
    return s;
}

/* The label of key in the reader's language. A missing label is a catalog bug (a unit test checks
 * every key): the key itself is printed so the page still says something rather than nothing. */
static const char *
msg(struct pp *p, const char *key)
{
    const char *s = json_string_value(json_object_get(p->print_msgs, key));
    if (s == NULL)
        s = json_string_value(json_object_get(p->plan_msgs, key));
    return s != NULL ? s : key;
}

static const char *msgf(struct pp *p, const char *f, ...) CM_PRINTF(2, 3);
static const char *
msgf(struct pp *p, const char *f, ...)
{
    char key[256];
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(key, sizeof(key), f, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(key))
        return "";
    const char *s = msg(p, key);
    /* A missing label comes back as the key itself, which lives on this stack frame. */
    return s == key ? fmt(p, "%s", key) : s;
}

/* The label of key if the catalog has it, else NULL (for values that may be free text). */
static const char *
msg_opt(struct pp *p, const char *prefix, const char *value)
{
    char key[256];
    int n = snprintf(key, sizeof(key), "%s%s", prefix, value);
    if (n < 0 || (size_t)n >= sizeof(key))
        return NULL;
    const char *s = json_string_value(json_object_get(p->print_msgs, key));
    return s != NULL ? s : json_string_value(json_object_get(p->plan_msgs, key));
}

/* tmpl with every "{name}" replaced by value. */
static const char *
fill(struct pp *p, const char *tmpl, const char *name, const char *value)
{
    char pat[32];
    snprintf(pat, sizeof(pat), "{%s}", name);
    size_t plen = strlen(pat);
    struct cm_buf b;
    cm_buf_init(&b, p->a, 64 * 1024);
    enum cm_code rc = cm_buf_puts(&b, "");
    for (const char *s = tmpl; *s != '\0' && rc == CM_OK;) {
        const char *hit = strstr(s, pat);
        if (hit == NULL) {
            rc = cm_buf_puts(&b, s);
            break;
        }
        rc = cm_buf_append(&b, s, (size_t)(hit - s));
        if (rc == CM_OK)
            rc = cm_buf_puts(&b, value);
        s = hit + plen;
    }
    if (rc != CM_OK) {
        p->oom = true;
        return "";
    }
    return b.data;
}

/* Joins the non-NULL strings of parts[0 .. n) with sep; NULL when there are none. */
static const char *
join(struct pp *p, const char *const *parts, size_t n, const char *sep)
{
    struct cm_buf b;
    cm_buf_init(&b, p->a, 1u << 20);
    enum cm_code rc = cm_buf_puts(&b, "");
    bool any = false;
    for (size_t i = 0; i < n && rc == CM_OK; i++) {
        if (parts[i] == NULL)
            continue;
        if (any)
            rc = cm_buf_puts(&b, sep);
        if (rc == CM_OK)
            rc = cm_buf_puts(&b, parts[i]);
        any = true;
    }
    if (rc != CM_OK) {
        p->oom = true;
        return NULL;
    }
    return any ? b.data : NULL;
}

/* A string member of o, NULL when absent, null, not a string or empty. */
static const char *
sget(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL && *s != '\0' ? s : NULL;
}

/* ---- the plan's items ------------------------------------------------------------------------ */

/* The items of one kind; NULL (read as empty by jansson) when the document has no such key. */
static const json_t *
items_of(struct pp *p, enum cm_plan_kind k)
{
    return json_object_get(p->elements, cm_plan_kind(k)->name);
}

static size_t
count_of(struct pp *p, enum cm_plan_kind k)
{
    return json_array_size(items_of(p, k));
}

static const json_t *
item_at(struct pp *p, enum cm_plan_kind k, size_t i)
{
    return json_array_get(items_of(p, k), i);
}

/* A family-facing text in the reader's language; the original marked "not translated yet" when
 * nobody has translated it (caremap never invents a translation). NULL when absent. */
static const char *
text_of(struct pp *p, const json_t *item, const char *field)
{
    bool translated = true;
    const char *s = cm_plan_text(item, field, p->lang, &translated);
    if (s == NULL || *s == '\0')
        return NULL;
    if (translated)
        return s;
    return fmt(p, "%s (%s)", s, msg(p, "plan.not_translated"));
}

static const json_t *
find_item(struct pp *p, enum cm_plan_kind k, json_int_t id)
{
    for (size_t i = 0; i < count_of(p, k); i++) {
        const json_t *it = item_at(p, k, i);
        if (json_integer_value(json_object_get(it, "id")) == id)
            return it;
    }
    return NULL;
}

static const char *value_of(struct pp *p, const struct cm_plan_kind_desc *d, size_t fi,
                            const json_t *item);

/* How an item is named where another item points at it (an action's goal, a step's transition). */
static const char *
title_of(struct pp *p, const struct cm_plan_kind_desc *d, const json_t *item)
{
    return value_of(p, d, d->title_field, item);
}

/* A field's value as printed, NULL when the item has none. Choices print through their labels,
 * links through the title of the item they point at: internal ids are never printed. */
static const char *
value_of(struct pp *p, const struct cm_plan_kind_desc *d, size_t fi, const json_t *item)
{
    const struct cm_plan_field *f = &d->fields[fi];
    const json_t *v = json_object_get(item, f->name);
    switch (f->type) {
    case CM_PF_TEXT:
        return text_of(p, item, f->name);
    case CM_PF_STRING:
    case CM_PF_DATE:
    case CM_PF_ICD10:
        return sget(item, f->name);
    case CM_PF_ENUM: {
        const char *s = sget(item, f->name);
        if (s == NULL)
            return NULL;
        char prefix[128];
        snprintf(prefix, sizeof(prefix), "plan.value.%s.%s.", d->name, f->name);
        const char *label = msg_opt(p, prefix, s);
        return label != NULL ? label : s;
    }
    case CM_PF_INT:
        return json_is_integer(v) ? fmt(p, "%lld", (long long)json_integer_value(v)) : NULL;
    case CM_PF_BOOL:
        return json_is_boolean(v) ? msg(p, json_is_true(v) ? "plan.yes" : "plan.no") : NULL;
    case CM_PF_REF: {
        if (!json_is_integer(v))
            return NULL;
        const struct cm_plan_kind_desc *rd = cm_plan_kind(f->ref);
        /* A title that is itself a link would be followed from item to item: not in the table
         * today, and never to be followed round a loop a broken document could hold. */
        if (rd == NULL || rd->fields[rd->title_field].type == CM_PF_REF)
            return NULL;
        const json_t *to = find_item(p, f->ref, json_integer_value(v));
        return to != NULL ? title_of(p, rd, to) : NULL;
    }
    }
    return NULL;
}

/* Fields that are structure or bookkeeping, not something a reader needs on paper: a step's
 * transition (the step is printed under it) and the starter template an action plan came from. */
static bool
printable(const struct cm_plan_kind_desc *d, size_t fi)
{
    const struct cm_plan_field *f = &d->fields[fi];
    if (d->kind == CM_PK_MILESTONE && f->type == CM_PF_REF)
        return false;
    if (d->kind == CM_PK_ACTION_PLAN && strcmp(f->name, "template") == 0)
        return false;
    return true;
}

static const char *
field_label(struct pp *p, const struct cm_plan_kind_desc *d, size_t fi)
{
    return msgf(p, "plan.field.%s.%s", d->name, d->fields[fi].name);
}

/*
 * The fields of item after the first (the one that names it), on one string: "Label: value"
 * parts joined by sep, or bare values when labels is false. Only the emergency fields when
 * emergency is true. NULL when the item has none of them.
 */
static const char *
rest_of(struct pp *p, const struct cm_plan_kind_desc *d, const json_t *item, bool emergency,
        bool labels, const char *sep)
{
    const char *parts[CM_PLAN_MAX_FIELDS] = {0};
    for (size_t fi = 1; fi < d->nfields && fi < CM_PLAN_MAX_FIELDS; fi++) {
        if (!printable(d, fi) || (emergency && !d->fields[fi].emergency))
            continue;
        const char *v = value_of(p, d, fi, item);
        if (v != NULL)
            parts[fi] = labels ? fmt(p, "%s: %s", field_label(p, d, fi), v) : v;
    }
    return join(p, parts, CM_PLAN_MAX_FIELDS, sep);
}

/* Adds the rows of a table, in chunks the renderer accepts. */
static void
table(struct pp *p, const struct cm_render_row *rows, size_t n)
{
    for (size_t at = 0; at < n; at += CM_RENDER_ITEMS_MAX) {
        size_t k = n - at < CM_RENDER_ITEMS_MAX ? n - at : CM_RENDER_ITEMS_MAX;
        cm_render_table(p->doc, rows + at, k);
    }
}

static void
none_recorded(struct pp *p)
{
    cm_render_paragraph(p->doc, msg(p, "plan.none"));
}

/*
 * A table of one row per item of kind k (only those keep() accepts, when it is given): what the
 * item is (its first field) as the label, its other fields as the value, joined by sep, with their
 * labels when labels is true. Only the emergency fields when emergency is true. "None recorded"
 * when no item is left: on the emergency sheet an empty section must say so, not vanish.
 */
static void
items_table(struct pp *p, enum cm_plan_kind k, bool emergency, bool labels, const char *sep,
            bool (*keep)(const json_t *))
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(k);
    size_t n = count_of(p, k);
    struct cm_render_row *rows = cm_arena_calloc(p->a, n + 1, sizeof(*rows));
    if (rows == NULL) {
        p->oom = true;
        return;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *it = item_at(p, k, i);
        if (keep != NULL && !keep(it))
            continue;
        const char *name = value_of(p, d, 0, it);
        const char *rest = rest_of(p, d, it, emergency, labels, sep);
        rows[m].label = name != NULL ? name : msgf(p, "plan.item.%s", d->name);
        rows[m].value = rest != NULL ? rest : "";
        m++;
    }
    if (m == 0)
        none_recorded(p);
    else
        table(p, rows, m);
}

/*
 * On the emergency sheet, one line per item of kind k (those keep() accepts, when given): what
 * the item is in bold, then its other emergency fields ("Levetiracetam: 250 mg · Through the
 * g-tube · Twice a day"). Full-width lines rather than a table: a name in a label column takes a
 * third of the width and doubles the lines, and the sheet must stand on one page if it can.
 */
static void
items_lines(struct pp *p, enum cm_plan_kind k, bool (*keep)(const json_t *))
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(k);
    size_t n = count_of(p, k), m = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *it = item_at(p, k, i);
        if (keep != NULL && !keep(it))
            continue;
        const char *name = value_of(p, d, 0, it);
        const char *rest = rest_of(p, d, it, true, false, " · ");
        struct cm_render_run runs[2] = {
            {fmt(p, "%s%s", name != NULL ? name : msgf(p, "plan.item.%s", d->name),
                 rest != NULL ? ":" : ""),
             true},
            {rest != NULL ? fmt(p, " %s", rest) : "", false}};
        cm_render_paragraph_runs(p->doc, runs, 2);
        m++;
    }
    if (m == 0)
        none_recorded(p);
}

static bool
is_key_medicine(const json_t *item)
{
    return json_is_true(json_object_get(item, "key"));
}

/* ---- the emergency sheet --------------------------------------------------------------------- */

static const char *
full_name(struct pp *p)
{
    const json_t *child = json_object_get(p->root, "child");
    const char *parts[2] = {sget(child, "given_name"), sget(child, "family_name")};
    const char *s = join(p, parts, 2, " ");
    return s != NULL ? s : "";
}

/* The items of kind k on one string, one line each: what the item is, then its other emergency
 * fields, joined by sep ("Penicillin — Hives — Severe"). "None recorded" when there are none. */
static const char *
brief_lines(struct pp *p, enum cm_plan_kind k, const char *sep)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(k);
    size_t n = count_of(p, k);
    const char **lines = cm_arena_calloc(p->a, n + 1, sizeof(*lines));
    if (lines == NULL) {
        p->oom = true;
        return "";
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *it = item_at(p, k, i);
        const char *parts[2] = {value_of(p, d, 0, it), rest_of(p, d, it, true, false, sep)};
        lines[i] = join(p, parts, 2, sep);
    }
    const char *s = join(p, lines, n, "\n");
    return s != NULL ? s : msg(p, "plan.none");
}

/*
 * The top of the emergency sheet: who the child is (name, preferred name, date of birth,
 * preferred language) on one line, then one form-like table of about me, health problems and
 * allergies. One table
 * rather than a heading per part keeps the sheet to one page for a typical plan, and reads like
 * the emergency information forms EDs know (AAP/ACEP Emergency Information Form).
 */
static void
who_the_child_is(struct pp *p)
{
    const json_t *child = json_object_get(p->root, "child");
    /* Who the child is, on one line ("Sofía Ejemplo (Sofi) · Date of birth: 2017-03-02 ·
     * Preferred language: Spanish"): a line instead of four table rows is what lets a sheet with
     * two or three sick-day plans stay on one page. */
    const char *preferred = sget(child, "preferred_name");
    const char *name =
        preferred != NULL ? fmt(p, "%s (%s)", full_name(p), preferred) : full_name(p);
    const char *born = sget(child, "birth_date");
    const char *lang = sget(child, "preferred_language");
    const char *lang_label = lang != NULL ? msg_opt(p, "print.language.", lang) : NULL;
    const char *parts[2] = {born != NULL ? fmt(p, "%s: %s", msg(p, "print.date_of_birth"), born)
                                         : NULL,
                            lang != NULL ? fmt(p, "%s: %s", msg(p, "print.preferred_language"),
                                               lang_label != NULL ? lang_label : lang)
                                         : NULL};
    const char *rest = join(p, parts, 2, " · ");
    struct cm_render_run runs[2] = {{name, true},
                                    {rest != NULL ? fmt(p, " · %s", rest) : "", false}};
    cm_render_paragraph_runs(p->doc, runs, 2);

    struct cm_render_row rows[3];
    size_t n = 0;
    rows[n++] =
        (struct cm_render_row){msg(p, "plan.kind.summary"), brief_lines(p, CM_PK_SUMMARY, " ")};
    rows[n++] = (struct cm_render_row){msg(p, "plan.kind.condition"),
                                       brief_lines(p, CM_PK_CONDITION, " — ")};
    rows[n++] =
        (struct cm_render_row){msg(p, "plan.kind.allergy"), brief_lines(p, CM_PK_ALLERGY, " — ")};
    table(p, rows, n);
}

/* The steps of a plan, one per line of the text (blank lines dropped), numbered: in an emergency
 * "step 3" is easier to find and to say on the phone than the third bullet. */
static const char *
numbered_steps(struct pp *p, const char *text)
{
    struct cm_buf b;
    cm_buf_init(&b, p->a, 1u << 20);
    enum cm_code rc = cm_buf_puts(&b, "");
    int n = 0;
    for (const char *s = text; *s != '\0' && rc == CM_OK;) {
        const char *end = strchr(s, '\n');
        if (end == NULL)
            end = s + strlen(s);
        const char *from = s, *to = end;
        while (from < to && (*from == ' ' || *from == '\t' || *from == '\r'))
            from++;
        while (to > from && (to[-1] == ' ' || to[-1] == '\t' || to[-1] == '\r'))
            to--;
        if (to > from) {
            rc = cm_buf_printf(&b, "%s%d. ", n > 0 ? "\n" : "", n + 1);
            if (rc == CM_OK)
                rc = cm_buf_append(&b, from, (size_t)(to - from));
            n++;
        }
        s = *end != '\0' ? end + 1 : end;
    }
    if (rc != CM_OK) {
        p->oom = true;
        return NULL;
    }
    return n > 0 ? b.data : NULL;
}

/* One sick-day plan, kept compact and whole: its title as a heading, then one table of its
 * emergency fields, the steps numbered one per line. */
static void
sick_day_plan(struct pp *p, const json_t *it)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_ACTION_PLAN);
    const char *title = value_of(p, d, 0, it);
    const char *item = msg(p, "plan.item.action_plan");
    cm_render_heading(p->doc, EMERGENCY_HEADING,
                      title != NULL ? fmt(p, "%s: %s", item, title) : item);
    struct cm_render_row rows[CM_PLAN_MAX_FIELDS];
    size_t n = 0;
    for (size_t fi = 1; fi < d->nfields && fi < CM_PLAN_MAX_FIELDS; fi++) {
        const struct cm_plan_field *f = &d->fields[fi];
        if (!f->emergency || !printable(d, fi))
            continue;
        const char *v;
        if (strcmp(f->name, "steps") == 0) {
            bool translated = true;
            const char *steps = cm_plan_text(it, f->name, p->lang, &translated);
            v = steps != NULL ? numbered_steps(p, steps) : NULL;
            if (v != NULL && !translated)
                v = fmt(p, "%s\n(%s)", v, msg(p, "plan.not_translated"));
        } else {
            v = value_of(p, d, fi, it);
        }
        if (v != NULL)
            rows[n++] = (struct cm_render_row){field_label(p, d, fi), v};
    }
    table(p, rows, n);
}

static const char *
lead_label(struct pp *p, const json_t *contact)
{
    const char *lead = sget(contact, "lead");
    if (lead == NULL)
        return NULL;
    if (strcmp(lead, "lead") == 0)
        return msg(p, "print.lead");
    if (strcmp(lead, "backup") == 0)
        return msg(p, "print.backup");
    return NULL;
}

/* A care team member's role: its label when it is one of caremap's roles, else as written. */
static const char *
role_of(struct pp *p, const json_t *contact)
{
    const char *role = sget(contact, "role");
    if (role == NULL)
        return NULL;
    const char *label = msg_opt(p, "print.role.", role);
    return label != NULL ? label : role;
}

/* "Mother, legal guardian" */
static const char *
relationship_of(struct pp *p, const json_t *member)
{
    const char *rel = sget(member, "relationship");
    const char *label = rel != NULL ? msg_opt(p, "print.relationship.", rel) : NULL;
    if (rel != NULL && label == NULL)
        label = rel;
    bool guardian = json_is_true(json_object_get(member, "is_guardian")) &&
                    (rel == NULL || strcmp(rel, "guardian") != 0);
    const char *parts[2] = {label, guardian ? msg(p, "print.guardian") : NULL};
    return join(p, parts, 2, ", ");
}

/* Who to call, from page 1: the lead coordinator and the backup, then the family. */
static void
who_to_call(struct pp *p)
{
    cm_render_heading(p->doc, EMERGENCY_HEADING, msg(p, "print.who_to_call"));
    const json_t *contacts = json_object_get(p->root, "contacts");
    const json_t *family = json_object_get(p->root, "family");
    size_t nc = json_array_size(contacts), nf = json_array_size(family);
    struct cm_render_row *rows = cm_arena_calloc(p->a, nc + nf + 1, sizeof(*rows));
    if (rows == NULL) {
        p->oom = true;
        return;
    }
    size_t n = 0;
    /* Lead first, then backup, whatever order the document lists them in. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nc; i++) {
            const json_t *c = json_array_get(contacts, i);
            const char *lead = sget(c, "lead");
            if (lead == NULL || strcmp(lead, pass == 0 ? "lead" : "backup") != 0)
                continue;
            /* The phone is what matters at 3 a.m.; the e-mail only when there is no phone (the
             * care team section has both). */
            const char *phone = sget(c, "phone");
            const char *parts[3] = {sget(c, "name"), sget(c, "organization"),
                                    phone != NULL ? phone : sget(c, "email")};
            const char *v = join(p, parts, 3, " · ");
            rows[n++] = (struct cm_render_row){lead_label(p, c), v != NULL ? v : ""};
        }
    }
    for (size_t i = 0; i < nf; i++) {
        const json_t *m = json_array_get(family, i);
        const char *rel = relationship_of(p, m);
        const char *phone = sget(m, "phone");
        const char *parts[2] = {sget(m, "name"), phone != NULL ? phone : sget(m, "email")};
        const char *v = join(p, parts, 2, " · ");
        rows[n++] =
            (struct cm_render_row){rel != NULL ? rel : msg(p, "plan.family"), v != NULL ? v : ""};
    }
    if (n == 0)
        none_recorded(p);
    else
        table(p, rows, n);
}

static void
emergency_sheet(struct pp *p, const struct cm_plan_pdf_opts *o)
{
    cm_render_heading(p->doc, 1, msg(p, "print.emergency"));
    if (o->version <= 0)
        cm_render_paragraph(p->doc, msg(p, "plan.draft"));
    who_the_child_is(p);

    cm_render_heading(p->doc, EMERGENCY_HEADING, msg(p, "print.key_medicines"));
    items_lines(p, CM_PK_MEDICATION, is_key_medicine);

    cm_render_heading(p->doc, EMERGENCY_HEADING, msg(p, "plan.kind.equipment"));
    items_lines(p, CM_PK_EQUIPMENT, NULL);

    /* Each plan is its own heading and table, not a section heading followed by plan headings: a
     * heading directly above another could be left alone at the foot of a page (the renderer
     * keeps a heading with the next two lines only). */
    size_t n = count_of(p, CM_PK_ACTION_PLAN);
    for (size_t i = 0; i < n; i++)
        sick_day_plan(p, item_at(p, CM_PK_ACTION_PLAN, i));
    if (n == 0) {
        cm_render_heading(p->doc, EMERGENCY_HEADING, msg(p, "plan.kind.action_plan"));
        none_recorded(p);
    }

    who_to_call(p);
}

/* ---- the rest of the plan -------------------------------------------------------------------- */

/* A section of the plan: its heading, then one row per item with every field, labelled. */
static void
section(struct pp *p, enum cm_plan_kind k)
{
    cm_render_heading(p->doc, 2, msgf(p, "plan.kind.%s", cm_plan_kind(k)->name));
    items_table(p, k, false, true, "\n", NULL);
}

/*
 * The sick-day plans in the plan's own order of sections: the plans themselves are on the
 * emergency sheet, which prints only their emergency fields, so each is named here with a pointer
 * to the sheet and the fields the sheet leaves out (a note must not be lost from paper).
 */
static void
sick_day_section(struct pp *p)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_ACTION_PLAN);
    cm_render_heading(p->doc, 2, msg(p, "plan.kind.action_plan"));
    size_t n = count_of(p, CM_PK_ACTION_PLAN);
    struct cm_render_row *rows = cm_arena_calloc(p->a, n + 1, sizeof(*rows));
    if (rows == NULL) {
        p->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *it = item_at(p, CM_PK_ACTION_PLAN, i);
        const char *parts[CM_PLAN_MAX_FIELDS] = {msg(p, "print.see_emergency_sheet")};
        for (size_t fi = 1; fi < d->nfields && fi < CM_PLAN_MAX_FIELDS; fi++) {
            const char *v = NULL;
            if (d->fields[fi].emergency || !printable(d, fi))
                continue;
            if (strcmp(d->fields[fi].name, "steps") == 0) {
                bool translated = true;
                const char *steps = cm_plan_text(it, "steps", p->lang, &translated);
                v = steps != NULL ? numbered_steps(p, steps) : NULL;
                if (v != NULL && !translated)
                    v = fmt(p, "%s\n(%s)", v, msg(p, "plan.not_translated"));
                if (v != NULL)
                    parts[fi] = fmt(p, "%s:\n%s", field_label(p, d, fi), v);
            } else if ((v = value_of(p, d, fi, it)) != NULL) {
                parts[fi] = fmt(p, "%s: %s", field_label(p, d, fi), v);
            }
        }
        const char *title = value_of(p, d, 0, it);
        const char *v = join(p, parts, CM_PLAN_MAX_FIELDS, "\n");
        rows[i] = (struct cm_render_row){title != NULL ? title : msg(p, "plan.item.action_plan"),
                                         v != NULL ? v : ""};
    }
    if (n == 0)
        none_recorded(p);
    else
        table(p, rows, n);
}

static const char *
labelled(struct pp *p, const char *key, const char *value)
{
    return value != NULL ? fmt(p, "%s: %s", msg(p, key), value) : NULL;
}

static void
care_team(struct pp *p)
{
    cm_render_heading(p->doc, 2, msg(p, "plan.contacts"));
    const json_t *contacts = json_object_get(p->root, "contacts");
    size_t n = json_array_size(contacts);
    struct cm_render_row *rows = cm_arena_calloc(p->a, n + 1, sizeof(*rows));
    if (rows == NULL) {
        p->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(contacts, i);
        /* Three short lines rather than six labelled ones: who they are, where they work, how
         * to reach them. A team of forty reads in a few pages instead of a dozen. */
        const char *service = sget(c, "service");
        const char *role = role_of(p, c);
        if (service != NULL && role != NULL && strcmp(service, role) == 0)
            service = NULL;
        const char *who[3] = {lead_label(p, c), role, service};
        const char *reach[2] = {sget(c, "phone"), sget(c, "email")};
        const char *parts[3] = {join(p, who, 3, " · "), sget(c, "organization"),
                                join(p, reach, 2, " · ")};
        const char *v = join(p, parts, 3, "\n");
        const char *name = sget(c, "name");
        rows[i] = (struct cm_render_row){name != NULL ? name : "", v != NULL ? v : ""};
    }
    if (n == 0)
        none_recorded(p);
    else
        table(p, rows, n);

    const json_t *family = json_object_get(p->root, "family");
    size_t nf = json_array_size(family);
    if (nf == 0)
        return;
    cm_render_heading(p->doc, 3, msg(p, "plan.family"));
    rows = cm_arena_calloc(p->a, nf, sizeof(*rows));
    if (rows == NULL) {
        p->oom = true;
        return;
    }
    for (size_t i = 0; i < nf; i++) {
        const json_t *m = json_array_get(family, i);
        const char *lang = sget(m, "preferred_language");
        const char *lang_label = lang != NULL ? msg_opt(p, "print.language.", lang) : NULL;
        const char *parts[4] = {
            labelled(p, "print.relationship", relationship_of(p, m)),
            labelled(p, "print.phone", sget(m, "phone")),
            labelled(p, "print.email", sget(m, "email")),
            labelled(p, "print.preferred_language", lang_label != NULL ? lang_label : lang)};
        const char *v = join(p, parts, 4, "\n");
        const char *name = sget(m, "name");
        rows[i] = (struct cm_render_row){name != NULL ? name : "", v != NULL ? v : ""};
    }
    table(p, rows, nf);
}

/* The transition field of a step (the kind table's REF to a transition), or -1. */
static int
transition_field(void)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_MILESTONE);
    for (size_t fi = 0; fi < d->nfields; fi++)
        if (d->fields[fi].type == CM_PF_REF && d->fields[fi].ref == CM_PK_TRANSITION)
            return (int)fi;
    return -1;
}

/*
 * One transition as a table: its type as the label of its first row, the rest of its fields as
 * the value, then one row per step (milestone) of it: the step's words, then who, when, status.
 * With t NULL, a table of the steps whose transition is not in the document: the store's links
 * forbid them, but a step must never vanish from paper because of a broken link.
 */
static void
transition_table(struct pp *p, const json_t *t)
{
    const struct cm_plan_kind_desc *td = cm_plan_kind(CM_PK_TRANSITION);
    const struct cm_plan_kind_desc *md = cm_plan_kind(CM_PK_MILESTONE);
    int tf = transition_field();
    size_t n = count_of(p, CM_PK_MILESTONE);
    struct cm_render_row *rows = cm_arena_calloc(p->a, n + 2, sizeof(*rows));
    if (rows == NULL) {
        p->oom = true;
        return;
    }
    size_t m = 0;
    if (t != NULL) {
        const char *name = value_of(p, td, 0, t);
        const char *rest = rest_of(p, td, t, false, true, "\n");
        rows[m++] = (struct cm_render_row){name != NULL ? name : msg(p, "plan.item.transition"),
                                           rest != NULL ? rest : ""};
    }
    /* The steps are rows of the transition's table; the first is labelled with the kind's name
     * ("Steps of the transition"), the others left blank, so they read as one group. */
    const char *step = msg(p, "plan.kind.milestone");
    for (size_t i = 0; i < n; i++) {
        const json_t *it = item_at(p, CM_PK_MILESTONE, i);
        json_int_t to = tf >= 0 ? json_integer_value(json_object_get(it, md->fields[tf].name)) : 0;
        bool mine = t != NULL ? to == json_integer_value(json_object_get(t, "id"))
                              : find_item(p, CM_PK_TRANSITION, to) == NULL;
        if (!mine)
            continue;
        const char *r[CM_PLAN_MAX_FIELDS] = {0};
        for (size_t fi = 0; fi < md->nfields && fi < CM_PLAN_MAX_FIELDS; fi++) {
            if (fi == md->title_field || !printable(md, fi))
                continue;
            const char *v = value_of(p, md, fi, it);
            if (v != NULL)
                r[fi] = fmt(p, "%s: %s", field_label(p, md, fi), v);
        }
        const char *parts[2] = {title_of(p, md, it), join(p, r, CM_PLAN_MAX_FIELDS, "\n")};
        const char *v = join(p, parts, 2, "\n");
        rows[m++] = (struct cm_render_row){step, v != NULL ? v : ""};
        step = "";
    }
    table(p, rows, m);
}

static void
transitions(struct pp *p)
{
    cm_render_heading(p->doc, 2, msg(p, "plan.kind.transition"));
    size_t n = count_of(p, CM_PK_TRANSITION);
    for (size_t i = 0; i < n; i++)
        transition_table(p, item_at(p, CM_PK_TRANSITION, i));
    if (n == 0)
        none_recorded(p);
    transition_table(p, NULL);
}

static void
rest_of_plan(struct pp *p)
{
    cm_render_page_break(p->doc);
    cm_render_heading(p->doc, 1, msg(p, "plan.title"));
    static const enum cm_plan_kind order[] = {CM_PK_GOAL,      CM_PK_CONCERN,    CM_PK_ACTION,
                                              CM_PK_CONDITION, CM_PK_MEDICATION, CM_PK_EQUIPMENT};
    for (size_t i = 0; i < CM_ARRAY_LEN(order); i++)
        section(p, order[i]);
    sick_day_section(p);
    care_team(p);
    transitions(p);
}

/* ---- the document ---------------------------------------------------------------------------- */

/* An array member of o whose elements are all objects; absent counts as empty. */
static bool
objects_or_absent(const json_t *o, const char *key)
{
    const json_t *arr = json_object_get(o, key);
    if (arr == NULL)
        return true;
    if (!json_is_array(arr))
        return false;
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (!json_is_object(json_array_get(arr, i)))
            return false;
    return true;
}

/* Checks the shape docs/plan.md gives, so the layout below only ever reads what it expects. */
static enum cm_code
check_shape(const json_t *doc, struct cm_err *err)
{
    if (!json_is_object(doc))
        return cm_err_set(err, CM_EINVAL, "document", "the plan document must be a JSON object");
    if (!json_is_object(json_object_get(doc, "child")))
        return cm_err_set(err, CM_EINVAL, "document", "the plan document has no \"child\" object");
    const json_t *elements = json_object_get(doc, "elements");
    if (!json_is_object(elements))
        return cm_err_set(err, CM_EINVAL, "document",
                          "the plan document has no \"elements\" object");
    size_t nk = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nk);
    for (size_t k = 0; k < nk; k++)
        if (!objects_or_absent(elements, kinds[k].name))
            return cm_err_set(err, CM_EINVAL, "document", "elements.%s must be a list of items",
                              kinds[k].name);
    if (!objects_or_absent(doc, "contacts"))
        return cm_err_set(err, CM_EINVAL, "document", "contacts must be a list of objects");
    if (!objects_or_absent(doc, "family"))
        return cm_err_set(err, CM_EINVAL, "document", "family must be a list of objects");
    return CM_OK;
}

/* Parses the embedded catalog name; a missing or broken one is a build bug. */
static enum cm_code
load_messages(const char *name, json_t **out, struct cm_err *err)
{
    const struct cm_data_file *f = cm_data_find(name);
    if (f == NULL)
        return cm_err_set(err, CM_EINTERNAL, "messages", "%s is not embedded", name);
    json_error_t jerr;
    *out = json_loadb(f->data, f->len, 0, &jerr);
    if (!json_is_object(*out))
        return cm_err_set(err, CM_EINTERNAL, "messages", "%s:%d:%d: %s", name, jerr.line,
                          jerr.column, jerr.text);
    return CM_OK;
}

/* Header, footer and PDF title: the child, the version or "Draft", the date, "page X of Y". */
static void
running_text(struct pp *p, const struct cm_plan_pdf_opts *o, const char *printed)
{
    const json_t *child = json_object_get(p->root, "child");
    const char *name = full_name(p);
    const char *record = sget(child, "record_number");
    const char *left_parts[2] = {*name != '\0' ? name : NULL, record};
    const char *left = join(p, left_parts, 2, " · ");

    const char *right;
    if (o->version > 0) {
        const char *n = fmt(p, "%lld", (long long)o->version);
        if (o->version_on != NULL)
            right = fill(p, fill(p, msg(p, "print.header.version"), "n", n), "date", o->version_on);
        else
            right = fill(p, msg(p, "plan.version"), "n", n);
    } else {
        right = fill(p, msg(p, "print.header.draft"), "date", printed);
    }
    cm_render_header(p->doc, left, right);

    /* A frozen version may be printed long after it was made: say when this copy was. */
    const char *foot = msg(p, "plan.title");
    if (o->version > 0)
        foot = fmt(p, "%s · %s", foot, fill(p, msg(p, "print.printed_on"), "date", printed));
    cm_render_footer(p->doc, foot, msg(p, "print.page"));
}

enum cm_code
cm_render_plan_pdf(const json_t *doc, const struct cm_plan_pdf_opts *o, struct cm_buf *out,
                   struct cm_arena *a, struct cm_err *err)
{
    if (o == NULL || !cm_plan_lang_ok(o->lang))
        return cm_err_set(err, CM_EINVAL, "lang", "the language must be en or es");
    enum cm_code rc = check_shape(doc, err);
    if (rc != CM_OK)
        return rc;

    struct pp p = {
        .root = doc, .elements = json_object_get(doc, "elements"), .lang = o->lang, .a = a};
    char name[64];
    snprintf(name, sizeof(name), "messages/%s/plan.json", o->lang);
    rc = load_messages(name, &p.plan_msgs, err);
    if (rc == CM_OK) {
        snprintf(name, sizeof(name), "messages/%s/print.json", o->lang);
        rc = load_messages(name, &p.print_msgs, err);
    }
    if (rc != CM_OK) {
        json_decref(p.plan_msgs);
        json_decref(p.print_msgs);
        return rc;
    }

    char today[11];
    const char *printed = o->printed_on;
    if (printed == NULL) {
        cm_date_of(cm_time_now(), today);
        printed = today;
    }
    bool emergency_only = o->part == CM_PLAN_PDF_EMERGENCY;
    const char *title = msg(&p, emergency_only ? "print.emergency" : "plan.title");
    if (*full_name(&p) != '\0')
        title = fmt(&p, "%s · %s", title, full_name(&p));
    struct cm_doc_page page = {o->paper, MARGIN_PT, o->lang, title};
    p.doc = cm_render_doc_new(&page, a);
    if (p.doc == NULL) {
        rc = p.oom || cm_arena_exhausted(a)
                 ? cm_err_set(err, CM_ETOOBIG, "document", "document over its memory cap")
                 : cm_err_set(err, CM_EINVAL, "paper", "unknown paper size");
    } else {
        running_text(&p, o, printed);
        emergency_sheet(&p, o);
        if (!emergency_only)
            rest_of_plan(&p);
        if (p.oom)
            rc = cm_err_set(err, CM_ETOOBIG, "document", "document over its memory cap");
        else
            rc = cm_render_pdf(p.doc, out, err);
    }
    json_decref(p.plan_msgs);
    json_decref(p.print_msgs);
    return rc;
}
