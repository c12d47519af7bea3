/*
 * render/caremap_svg: care maps built by hand (every sector, all three rings, a lead and a backup,
 * names full of markup, entities, backslashes and accents), drawn by the real Graphviz, and read
 * back the way a browser or a screen reader would: xmllint checks the SVG is well-formed and its
 * XPath reads the text as a parser decodes it. All names are synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render/caremap_svg.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARENA_CAP (64u << 20)

/* ---- helpers --------------------------------------------------------------------------------- */

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Writes svg to a fresh temporary file; path receives its name (the caller unlinks it). */
static void
write_temp(const char *svg, size_t len, char path[64])
{
    snprintf(path, 64, "/tmp/caremap-svg-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, svg, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

/* map drawn in lang into a; fails the test, with the reason, unless it draws. */
static char *
draw(const struct cm_caremap *m, const char *lang, struct cm_arena *a, size_t *len)
{
    char *svg = NULL;
    struct cm_err err = {0};
    enum cm_code rc = cm_render_caremap_svg(m, lang, &svg, len, a, &err);
    if (rc != CM_OK)
        fail_msg("draw: %s", err.msg);
    return svg;
}

/* xmllint --noout's exit status: 0 when the SVG is well-formed. */
static int
xmllint_status(const char *svg, size_t len)
{
    char path[64];
    write_temp(svg, len, path);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
    int rc = system(cmd);
    unlink(path);
    return rc;
}

/* The string value of an XPath expression over svg, as xmllint decodes it, into out. */
static void
xpath(const char *svg, size_t len, const char *expr, char *out, size_t cap)
{
    char path[64];
    write_temp(svg, len, path);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "xmllint --xpath '%s' %s", expr, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    /* xmllint ends its answer with a newline, and a group's string its newlines between
     * elements: the text itself never ends with one (control characters become spaces). */
    while (n > 0 && out[n - 1] == '\n')
        n--;
    out[n] = '\0';
    pclose(p);
    unlink(path);
}

/* The decoded text of the first line of the label of the node whose group has id. */
static void
first_line(const char *svg, size_t len, const char *id, char *out, size_t cap)
{
    char expr[256];
    snprintf(expr, sizeof(expr), "string((//*[@id=\"%s\"]//*[local-name()=\"text\"])[1])", id);
    xpath(svg, len, expr, out, cap);
}

/* The position (x, y) of the first text of the node group with id, in SVG points. */
static void
text_at(const char *svg, const char *id, double *x, double *y)
{
    char key[64];
    snprintf(key, sizeof(key), "id=\"%s\"", id);
    const char *g = strstr(svg, key);
    assert_non_null(g);
    const char *t = strstr(g, "<text");
    assert_non_null(t);
    const char *px = strstr(t, " x=\"");
    const char *py = strstr(t, " y=\"");
    assert_non_null(px);
    assert_non_null(py);
    *x = strtod(px + 4, NULL);
    *y = strtod(py + 4, NULL);
}

/* ---- a hand-built map ------------------------------------------------------------------------ */

enum { LEAD_ID = 4101, BACKUP_ID = 4102, ODD_ID = 4107, ENTITY_ID = 4108, ORG_ID = 4111 };

static const char ODD_NAME[] = "Zoë <b>Ana</b> & \"Bo\" O'Neil \\N";
/* The same in a tooltip: there Graphviz would expand "\N" whatever the escaping, so a word joiner
 * (U+2060, invisible) keeps the backslash apart from the N. */
static const char ODD_TIP[] = "Zoë <b>Ana</b> & \"Bo\" O'Neil \\\xE2\x81\xA0N";
static const char ENTITY_NAME[] = "Peña &lt; &amp; &#60; Niño";

static const struct cm_caremap_node team[] = {
    {LEAD_ID, "Rowan Pellister", "nurse_care_coordinator", "care coordination", CM_SECTOR_MEDICAL,
     "Harbour Children's", CM_LEAD_LEAD, true, 1, "2024-01-10", NULL},
    {BACKUP_ID, "Imke Fallowby", "social_worker", "care coordination", CM_SECTOR_COMMUNITY,
     "County services", CM_LEAD_BACKUP, true, 1, "2024-02-01", NULL},
    {4103, "Dr Ode Marrant", "pediatrician", "primary care", CM_SECTOR_MEDICAL, "Elm Clinic",
     CM_LEAD_NONE, false, 1, "2023-05-01", NULL},
    {4104, "Dr Yusra Kell", "neurologist", "neurology", CM_SECTOR_MEDICAL, "Harbour Children's",
     CM_LEAD_NONE, false, 2, "2023-06-01", NULL},
    {4105, "Tam Orrin", "therapist", "behaviour support", CM_SECTOR_MENTAL_HEALTH, NULL,
     CM_LEAD_NONE, false, 2, "2024-03-01", NULL},
    {4106, "Lia Brennock", "school nurse", "school health", CM_SECTOR_EDUCATION, "Northgate School",
     CM_LEAD_NONE, false, 2, "2024-09-01", NULL},
    {ODD_ID, ODD_NAME, "teacher", "special education", CM_SECTOR_EDUCATION, NULL, CM_LEAD_NONE,
     false, 3, "2024-09-01", NULL},
    {ENTITY_ID, ENTITY_NAME, "case manager", "benefits", CM_SECTOR_PAYER, "State plan",
     CM_LEAD_NONE, true, 3, "2022-01-01", NULL},
    {4109, "Cass Whitlow", "nurse", "home nursing", CM_SECTOR_EQUIPMENT_HOME, "Brightway Nursing",
     CM_LEAD_NONE, false, 1, "2023-01-01", NULL},
    {4110, "Gil Ansty", "supplier", "feeding pump", CM_SECTOR_EQUIPMENT_HOME, "Medline Depot",
     CM_LEAD_NONE, false, 3, "2023-01-01", NULL},
    {ORG_ID, NULL, "respite", "respite care", CM_SECTOR_FAMILY_SUPPORT, "Oak Street Respite",
     CM_LEAD_NONE, false, 2, "2024-04-01", NULL},
    {4112, "Nell Ashcombe", "grandmother", NULL, CM_SECTOR_FAMILY_SUPPORT, NULL, CM_LEAD_NONE,
     false, 1, "2020-01-01", NULL},
};

static const struct cm_caremap_link talk[] = {
    {LEAD_ID, 4104, "portal", "weekly"},
    {LEAD_ID, 4106, "phone", "monthly"},
    {BACKUP_ID, ENTITY_ID, "fax", "as_needed"},
    {0, LEAD_ID, "phone", "weekly"},
    {4112, 0, "in_person", "daily"},
};

static struct cm_caremap
twelve(void)
{
    return (struct cm_caremap){.family_label = "The Quillfeather family",
                               .child_name = "Wren Quillfeather",
                               .nodes = team,
                               .n_nodes = CM_ARRAY_LEN(team),
                               .links = talk,
                               .n_links = CM_ARRAY_LEN(talk)};
}

/* A map of n members spread over every sector and ring, each talking to the one before. */
static struct cm_caremap
big(size_t n, struct cm_caremap_node *nodes, struct cm_caremap_link *links, struct cm_arena *a)
{
    static const char *const roles[] = {"pediatrician", "therapist",    "teacher",  "social_worker",
                                        "supplier",     "case_manager", "neighbour"};
    for (size_t i = 0; i < n; i++) {
        nodes[i] = (struct cm_caremap_node){
            .id = (int64_t)(9000 + i),
            .name = cm_arena_printf(a, "Member %zu Testname", i),
            .role = roles[i % 7],
            .sector = (enum cm_sector)(1 + i % 7),
            .organization = "Synthetic Org",
            .ring = 1 + (int)((i / 7) % 3),
            .lead = i == 0   ? CM_LEAD_LEAD
                    : i == 1 ? CM_LEAD_BACKUP
                             : CM_LEAD_NONE,
        };
        links[i] = (struct cm_caremap_link){i == 0 ? 0 : (int64_t)(9000 + i - 1),
                                            (int64_t)(9000 + i), "phone", "monthly"};
    }
    return (struct cm_caremap){.family_label = "A synthetic family",
                               .nodes = nodes,
                               .n_nodes = n,
                               .links = links,
                               .n_links = n};
}

/* ---- the drawing ----------------------------------------------------------------------------- */

static void
test_twelve_member_map_is_well_formed_svg(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_non_null(svg);
    assert_int_equal(strlen(svg), len);
    assert_non_null(strstr(svg, "<svg"));
    assert_int_equal(xmllint_status(svg, len), 0);
    cm_arena_free(a);
}

static void
test_every_relationship_has_one_member_id_and_the_family_one(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    for (size_t i = 0; i < m.n_nodes; i++) {
        char id[48];
        snprintf(id, sizeof(id), "id=\"member-%lld\"", (long long)m.nodes[i].id);
        assert_int_equal(count(svg, id), 1);
    }
    assert_int_equal(count(svg, "id=\"family\""), 1);
    assert_int_equal(count(svg, "class=\"node"), m.n_nodes + 1 + count(svg, "id=\"hub-"));
    char out[256];
    first_line(svg, len, "family", out, sizeof(out));
    assert_string_equal(out, "The Quillfeather family");
    cm_arena_free(a);
}

static void
test_legend_names_each_sector_present_with_its_colour_and_shape(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    static const char *const sectors[] = {"medical",       "mental_health",  "education",
                                          "community",     "equipment_home", "payer",
                                          "family_support"};
    static const char *const names[] = {"Medical care",
                                        "Mental and behavioural health",
                                        "School and learning",
                                        "Community and social services",
                                        "Equipment and home services",
                                        "Insurance and benefits",
                                        "Family and friends"};
    char out[256], expr[160];
    for (size_t i = 0; i < CM_ARRAY_LEN(sectors); i++) {
        snprintf(expr, sizeof(expr), "id=\"legend-%s\"", sectors[i]);
        assert_int_equal(count(svg, expr), 1);
        snprintf(expr, sizeof(expr), "string(//*[@id=\"legend-%s\"])", sectors[i]);
        xpath(svg, len, expr, out, sizeof(out));
        assert_string_equal(out, names[i]);
    }
    /* The same colour on the member node as on its legend swatch: medical is blue. */
    const char *lead = strstr(svg, "id=\"member-4101\"");
    const char *swatch = strstr(svg, "id=\"legend-medical\"");
    assert_non_null(strstr(lead, "fill=\"#0072b2\"") ? strstr(lead, "fill=\"#0072b2\"")
                                                     : strstr(lead, "fill=\"#0072B2\""));
    assert_non_null(strstr(swatch, "fill=\"#0072B2\""));
    /* Colour is not the only cue: education is a hexagon, six points in the legend. */
    const char *edu = strstr(svg, "id=\"legend-education\"");
    assert_non_null(edu);
    assert_true(strstr(edu, "<polygon") < strstr(edu, "</g>"));
    cm_arena_free(a);
}

static void
test_a_map_without_some_sectors_leaves_them_out_of_the_legend(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    m.nodes = team;
    m.n_nodes = 3; /* medical and community only */
    m.links = NULL;
    m.n_links = 0;
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_non_null(strstr(svg, "id=\"legend-medical\""));
    assert_non_null(strstr(svg, "id=\"legend-community\""));
    assert_null(strstr(svg, "id=\"legend-payer\""));
    assert_null(strstr(svg, "Dashed line"));
    assert_int_equal(xmllint_status(svg, len), 0);
    cm_arena_free(a);
}

static void
test_lead_and_backup_are_marked_and_drawn_thicker(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    char out[512];
    xpath(svg, len, "string(//*[@id=\"member-4101\"])", out, sizeof(out));
    assert_non_null(strstr(out, "Rowan Pellister"));
    assert_non_null(strstr(out, "nurse care coordinator"));
    assert_non_null(strstr(out, "Lead coordinator"));
    xpath(svg, len, "string(//*[@id=\"member-4102\"])", out, sizeof(out));
    assert_non_null(strstr(out, "Backup"));
    xpath(svg, len, "string(//*[@id=\"member-4103\"])", out, sizeof(out));
    assert_null(strstr(out, "Lead"));
    assert_null(strstr(out, "Backup"));
    xpath(svg, len, "string(//*[@id=\"member-4101\"]//*[@stroke-width][1]/@stroke-width)", out,
          sizeof(out));
    assert_string_equal(out, "4");
    /* The description a screen reader reads names the lead and the backup. */
    xpath(svg, len, "string(//*[@id=\"caremap-desc\"])", out, sizeof(out));
    assert_non_null(strstr(out, "12 relationships around The Quillfeather family"));
    assert_non_null(strstr(out, "Lead coordinator: Rowan Pellister."));
    assert_non_null(strstr(out, "Backup: Imke Fallowby."));
    assert_non_null(strstr(out, "Medical care 3"));
    cm_arena_free(a);
}

static void
test_a_map_with_no_lead_says_so(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    m.nodes = team + 2;
    m.n_nodes = 4;
    m.links = NULL;
    m.n_links = 0;
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_non_null(strstr(svg, "No lead coordinator."));
    assert_null(strstr(svg, "Thick border"));
    cm_arena_free(a);
}

static void
test_names_with_markup_entities_and_accents_come_out_as_typed(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_int_equal(xmllint_status(svg, len), 0);
    char out[512];
    first_line(svg, len, "member-4107", out, sizeof(out));
    assert_string_equal(out, ODD_NAME);
    first_line(svg, len, "member-4108", out, sizeof(out));
    assert_string_equal(out, ENTITY_NAME);
    /* No element was made from a name. */
    assert_null(strstr(svg, "<b>"));
    /* The tooltip carries the name intact too. */
    xpath(svg, len,
          "string(//*[@id=\"member-4107\"]//*[local-name()=\"a\"]/@*[local-name()=\"title\"])", out,
          sizeof(out));
    assert_non_null(strstr(out, ODD_TIP));
    /* An organisation stands in for a missing name. */
    first_line(svg, len, "member-4111", out, sizeof(out));
    assert_string_equal(out, "Oak Street Respite");
    cm_arena_free(a);
}

static void
test_control_characters_in_a_name_do_not_break_the_xml(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap_node n = team[2];
    /* (Graphviz writes the second of two spaces in a row as a no-break space.) */
    n.name = "Tab\there\x01"
             "bell\x07";
    struct cm_caremap m = {.family_label = "Fam\x02ily", .nodes = &n, .n_nodes = 1};
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_int_equal(xmllint_status(svg, len), 0);
    char out[256];
    first_line(svg, len, "member-4103", out, sizeof(out));
    assert_string_equal(out, "Tab here bell ");
    cm_arena_free(a);
}

static void
test_ring_one_sits_nearer_the_family_than_ring_three(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    double fx, fy;
    text_at(svg, "family", &fx, &fy);
    double far1 = 0, near3 = INFINITY;
    for (size_t i = 0; i < m.n_nodes; i++) {
        char id[48];
        snprintf(id, sizeof(id), "member-%lld", (long long)m.nodes[i].id);
        double x, y;
        text_at(svg, id, &x, &y);
        double r = hypot(x - fx, y - fy);
        if (m.nodes[i].ring == 1 && r > far1)
            far1 = r;
        if (m.nodes[i].ring == 3 && r < near3)
            near3 = r;
    }
    assert_true(far1 > 0);
    assert_true(far1 < near3);
    cm_arena_free(a);
}

static void
test_links_are_dashed_with_how_they_talk(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    char out[256];
    xpath(svg, len, "string(//*[@id=\"link-2\"])", out, sizeof(out));
    assert_non_null(strstr(out, "fax, as needed"));
    assert_non_null(strstr(strstr(svg, "id=\"link-2\""), "stroke-dasharray"));
    /* A link with the family is drawn on the member's own line to the family. */
    xpath(svg, len, "string(//*[@id=\"tie-4112\"])", out, sizeof(out));
    assert_non_null(strstr(out, "in person, daily"));
    /* Members are joined to the family whether they have a link with it or not. */
    assert_non_null(strstr(svg, "id=\"tie-4110\""));
    cm_arena_free(a);
}

static void
test_spanish_map_has_spanish_legend_and_title(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    size_t len = 0;
    char *svg = draw(&m, "es", a, &len);
    assert_int_equal(xmllint_status(svg, len), 0);
    char out[512];
    xpath(svg, len, "string(//*[@id=\"legend-medical\"])", out, sizeof(out));
    assert_string_equal(out, "Atención médica");
    xpath(svg, len, "string(//*[@id=\"caremap-title\"])", out, sizeof(out));
    assert_string_equal(out, "Mapa de cuidados: The Quillfeather family");
    xpath(svg, len, "string(//*[@id=\"member-4101\"])", out, sizeof(out));
    assert_non_null(strstr(out, "Coordinador(a) principal"));
    assert_non_null(strstr(svg, "lang=\"es\""));
    cm_arena_free(a);
}

static void
test_svg_has_title_and_desc_for_screen_readers(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = twelve();
    m.family_label = "The <Quill> & family";
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_int_equal(xmllint_status(svg, len), 0);
    char out[512];
    xpath(svg, len, "string(/*/*[local-name()=\"title\"])", out, sizeof(out));
    assert_string_equal(out, "Care map: The <Quill> & family");
    xpath(svg, len, "string(/*/@role)", out, sizeof(out));
    assert_string_equal(out, "img");
    xpath(svg, len, "string(/*/*[local-name()=\"desc\"])", out, sizeof(out));
    assert_non_null(strstr(out, "12 relationships around The <Quill> & family."));
    cm_arena_free(a);
}

static void
test_empty_map_draws_the_family_alone(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap m = {.family_label = NULL};
    size_t len = 0;
    char *svg = draw(&m, "en", a, &len);
    assert_int_equal(xmllint_status(svg, len), 0);
    assert_int_equal(count(svg, "id=\"family\""), 1);
    assert_int_equal(count(svg, "id=\"member-"), 0);
    assert_non_null(strstr(svg, "The family"));
    cm_arena_free(a);
}

static void
test_sixty_member_map_draws(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap_node nodes[60];
    struct cm_caremap_link links[60];
    struct cm_caremap m = big(60, nodes, links, a);
    char *svg = NULL;
    size_t len = 0;
    struct cm_err err = {0};
    double t0 = cm_time_mono_ms();
    assert_int_equal(cm_render_caremap_svg(&m, "en", &svg, &len, a, &err), CM_OK);
    double ms = cm_time_mono_ms() - t0;
    print_message("caremap svg: 60 members drawn in %.1f ms, %zu bytes\n", ms, len);
    assert_int_equal(xmllint_status(svg, len), 0);
    for (size_t i = 0; i < m.n_nodes; i++) {
        char id[48];
        snprintf(id, sizeof(id), "id=\"member-%lld\"", (long long)m.nodes[i].id);
        assert_int_equal(count(svg, id), 1);
    }
    const char *dir = getenv("CAREMAP_SVG_SAMPLES");
    if (dir != NULL) {
        char path[512];
        snprintf(path, sizeof(path), "%s/caremap-60.svg", dir);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fwrite(svg, 1, len, fp);
        fclose(fp);
        struct cm_caremap t = twelve();
        assert_int_equal(cm_render_caremap_svg(&t, "en", &svg, &len, a, &err), CM_OK);
        snprintf(path, sizeof(path), "%s/caremap-12.svg", dir);
        fp = fopen(path, "wb");
        assert_non_null(fp);
        fwrite(svg, 1, len, fp);
        fclose(fp);
    }
    cm_arena_free(a);
}

/* ---- threads --------------------------------------------------------------------------------- */

struct job {
    size_t n;
    enum cm_code rc;
    bool all_ids;
    struct cm_err err;
};

static void *
draw_job(void *arg)
{
    struct job *j = arg;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_caremap_node nodes[40];
    struct cm_caremap_link links[40];
    j->all_ids = true;
    for (int round = 0; round < 3 && j->rc == CM_OK; round++) {
        struct cm_caremap m = big(j->n, nodes, links, a);
        char *svg = NULL;
        size_t len = 0;
        j->rc = cm_render_caremap_svg(&m, round % 2 ? "es" : "en", &svg, &len, a, &j->err);
        for (size_t i = 0; j->rc == CM_OK && i < m.n_nodes; i++) {
            char id[48];
            snprintf(id, sizeof(id), "id=\"member-%lld\"", (long long)m.nodes[i].id);
            j->all_ids = j->all_ids && count(svg, id) == 1;
        }
    }
    cm_arena_free(a);
    return NULL;
}

static void
test_two_threads_drawing_at_once_both_succeed(void **state)
{
    (void)state;
    struct job jobs[2] = {{.n = 40}, {.n = 25}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, draw_job, &jobs[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        if (jobs[i].rc != CM_OK)
            fail_msg("thread %d: %s: %s", i, jobs[i].err.field, jobs[i].err.msg);
        assert_true(jobs[i].all_ids);
    }
}

/* ---- bad maps -------------------------------------------------------------------------------- */

/* Draws m (a copy of the twelve with node k changed by the caller) and expects code on field. */
static void
expect_error(const struct cm_caremap *m, const char *lang, enum cm_code code, const char *field)
{
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    char *svg = (char *)"untouched";
    size_t len = 99;
    struct cm_err err = {0};
    assert_int_equal(cm_render_caremap_svg(m, lang, &svg, &len, a, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.field, field);
    assert_true(err.msg[0] != '\0');
    assert_null(svg);
    assert_int_equal(len, 0);
    cm_arena_free(a);
}

static void
test_member_without_sector_is_rejected(void **state)
{
    (void)state;
    struct cm_caremap_node nodes[CM_ARRAY_LEN(team)];
    memcpy(nodes, team, sizeof(team));
    nodes[5].sector = CM_SECTOR_NONE;
    struct cm_caremap m = twelve();
    m.nodes = nodes;
    expect_error(&m, "en", CM_EINVAL, "nodes[5].sector");
    nodes[5].sector = CM_SECTOR_COUNT;
    expect_error(&m, "en", CM_EINVAL, "nodes[5].sector");
}

static void
test_ring_out_of_range_is_rejected(void **state)
{
    (void)state;
    struct cm_caremap_node nodes[CM_ARRAY_LEN(team)];
    memcpy(nodes, team, sizeof(team));
    struct cm_caremap m = twelve();
    m.nodes = nodes;
    nodes[3].ring = 0;
    expect_error(&m, "en", CM_EINVAL, "nodes[3].ring");
    nodes[3].ring = CM_CAREMAP_RINGS + 1;
    expect_error(&m, "en", CM_EINVAL, "nodes[3].ring");
}

static void
test_link_to_an_unknown_id_is_rejected(void **state)
{
    (void)state;
    struct cm_caremap_link links[CM_ARRAY_LEN(talk)];
    memcpy(links, talk, sizeof(talk));
    struct cm_caremap m = twelve();
    m.links = links;
    links[1].to = 777777;
    expect_error(&m, "en", CM_EINVAL, "links[1].to");
    links[1].to = LEAD_ID; /* to itself */
    expect_error(&m, "en", CM_EINVAL, "links[1].to");
    links[1].to = 4106;
    links[4].from = -5;
    expect_error(&m, "en", CM_EINVAL, "links[4].from");
}

static void
test_repeated_or_zero_id_is_rejected(void **state)
{
    (void)state;
    struct cm_caremap_node nodes[CM_ARRAY_LEN(team)];
    memcpy(nodes, team, sizeof(team));
    struct cm_caremap m = twelve();
    m.nodes = nodes;
    nodes[9].id = nodes[2].id;
    expect_error(&m, "en", CM_EINVAL, "nodes[9].id");
    nodes[9].id = 0;
    expect_error(&m, "en", CM_EINVAL, "nodes[9].id");
}

static void
test_unknown_language_or_bad_text_is_rejected(void **state)
{
    (void)state;
    struct cm_caremap m = twelve();
    expect_error(&m, "fr", CM_EINVAL, "lang");
    expect_error(&m, NULL, CM_EINVAL, "lang");
    struct cm_caremap_node nodes[CM_ARRAY_LEN(team)];
    memcpy(nodes, team, sizeof(team));
    m.nodes = nodes;
    nodes[4].name = "bad \xC3\x28 utf8";
    expect_error(&m, "en", CM_EINVAL, "nodes[4].name");
    nodes[4].name = "Tam Orrin";
    nodes[4].lead = (enum cm_lead)9;
    expect_error(&m, "en", CM_EINVAL, "nodes[4].lead");
}

static void
test_map_over_the_size_limit_is_too_big(void **state)
{
    (void)state;
    struct cm_caremap m = twelve();
    m.n_nodes = CM_CAREMAP_SVG_NODES_MAX + 1; /* checked before the array is read */
    expect_error(&m, "en", CM_ETOOBIG, "nodes");
}

/* Releases the process's Graphviz context, as main does at exit, so LeakSanitizer sees none of it.
 */
static int
teardown_graphviz(void **state)
{
    (void)state;
    cm_render_caremap_svg_shutdown();
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twelve_member_map_is_well_formed_svg),
        cmocka_unit_test(test_every_relationship_has_one_member_id_and_the_family_one),
        cmocka_unit_test(test_legend_names_each_sector_present_with_its_colour_and_shape),
        cmocka_unit_test(test_a_map_without_some_sectors_leaves_them_out_of_the_legend),
        cmocka_unit_test(test_lead_and_backup_are_marked_and_drawn_thicker),
        cmocka_unit_test(test_a_map_with_no_lead_says_so),
        cmocka_unit_test(test_names_with_markup_entities_and_accents_come_out_as_typed),
        cmocka_unit_test(test_control_characters_in_a_name_do_not_break_the_xml),
        cmocka_unit_test(test_ring_one_sits_nearer_the_family_than_ring_three),
        cmocka_unit_test(test_links_are_dashed_with_how_they_talk),
        cmocka_unit_test(test_spanish_map_has_spanish_legend_and_title),
        cmocka_unit_test(test_svg_has_title_and_desc_for_screen_readers),
        cmocka_unit_test(test_empty_map_draws_the_family_alone),
        cmocka_unit_test(test_sixty_member_map_draws),
        cmocka_unit_test(test_two_threads_drawing_at_once_both_succeed),
        cmocka_unit_test(test_member_without_sector_is_rejected),
        cmocka_unit_test(test_ring_out_of_range_is_rejected),
        cmocka_unit_test(test_link_to_an_unknown_id_is_rejected),
        cmocka_unit_test(test_repeated_or_zero_id_is_rejected),
        cmocka_unit_test(test_unknown_language_or_bad_text_is_rejected),
        cmocka_unit_test(test_map_over_the_size_limit_is_too_big),
    };
    return cmocka_run_group_tests_name("caremap_svg", tests, NULL, teardown_graphviz);
}
