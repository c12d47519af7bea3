/*
 * render/caremap_svg: the care map drawn with Graphviz twopi (issue 7). See caremap_svg.h for what
 * the drawing shows; this file is how.
 *
 * Rings. twopi puts each node at its distance (in edges) from the root on a spanning tree of the
 * graph, and for twopi an edge of weight 0 is left out of that tree (Graphviz attribute docs,
 * "weight"). So the visible lines carry weight 0 (except a ring-1 member's line to the family,
 * which is its tree edge), and the tree is made of invisible edges: family - ring-1 member;
 * family - hub(sector, 1) - ring-2 member; family - hub(sector, 1) - hub(sector, 2) - ring-3
 * member, where the hubs are invisible points. A member of ring r is therefore exactly r steps from
 * the family whatever the communication links are, and, since twopi gives each subtree an angle in
 * proportion to its leaves, each sector's members sit together in one wedge. The rings' radii
 * (ranksep) grow with the number of members on them so a ring is never more crowded than it can
 * hold; overlap removal then nudges what still touches.
 *
 * Text. Nothing is ever printed as DOT: the graph is built with cgraph calls. Graphviz still reads
 * every label as an "escString" ("\n" breaks a line, "\N" becomes the node's name) and decodes
 * HTML entities in labels ("&lt;" becomes "<"), and its SVG writer passes through anything that
 * already looks like an entity; so text() doubles backslashes and writes "&" as "&amp;", which
 * makes every name come out as typed. XML forbids most control characters and Graphviz does not
 * escape them: they become spaces.
 *
 * Plugins. gvContext() would load every installed plugin, among them the pango text layout, which
 * keeps a font map, fontconfig patterns and cairo fonts in static variables of its own for the
 * life of the process: LeakSanitizer reports them, and cm_render_shutdown()'s
 * cairo_debug_reset_static_data() then aborts on cairo's live fonts. So the context is made with
 * gvContextPlugins() from just the two plugins we use, core (the SVG writer) and neato_layout
 * (twopi), opened from libgvc's own plugin directory as Graphviz itself finds it. Without a text
 * layout plugin Graphviz sizes labels from its built-in Helvetica/Arial metrics, so the drawing
 * asks for Helvetica first (Linux maps it to a metric-compatible font) and is the same on every
 * machine whatever fonts are installed, which also suits a cache.
 *
 * Post-processing. Graphviz writes "-" in an id as "&#45;" (so comments never hold "--"); the ids
 * are ours and are rewritten with a plain "-" so id="member-42" can be found as written. The root
 * <svg> gets role="img", a <title> and a <desc>, and the legend is an SVG group of ours appended
 * below the drawing: twopi does not draw clusters, and a group lets the legend draw each sector's
 * real shape.
 */
/* dladdr() is a GNU extension: it finds where libgvc was loaded from, hence its plugins. */
#define _GNU_SOURCE
#include "render/caremap_svg.h"

#include <dlfcn.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- what each sector looks like ------------------------------------------------------------- */

/* The shape the legend draws for a sector: the same as its Graphviz node shape. */
enum swatch { SW_BOX, SW_ROUNDED, SW_ELLIPSE, SW_HEXAGON, SW_OCTAGON, SW_HOUSE, SW_NOTE };

struct sector_look {
    const char *fill; /* Okabe & Ito (2008) colour-blind-safe palette */
    const char *ink;  /* text colour with WCAG contrast >= 4.5 on fill */
    const char *shape;
    const char *style;
    enum swatch swatch;
    const char
        *name[2]; /* en, es: the words of data/messages/<lang>/common.json "common.sector.*" */
};

static const struct sector_look looks[CM_SECTOR_COUNT] = {
    [CM_SECTOR_MEDICAL] =
        {"#0072B2", "#FFFFFF", "box", "filled", SW_BOX, {"Medical care", "Atención médica"}},
    [CM_SECTOR_MENTAL_HEALTH] = {"#CC79A7",
                                 "#000000",
                                 "ellipse",
                                 "filled",
                                 SW_ELLIPSE,
                                 {"Mental and behavioural health",
                                  "Salud mental y del comportamiento"}},
    [CM_SECTOR_EDUCATION] = {"#F0E442",
                             "#000000",
                             "hexagon",
                             "filled",
                             SW_HEXAGON,
                             {"School and learning", "Escuela y aprendizaje"}},
    [CM_SECTOR_COMMUNITY] = {"#009E73",
                             "#000000",
                             "octagon",
                             "filled",
                             SW_OCTAGON,
                             {"Community and social services",
                              "Servicios comunitarios y sociales"}},
    [CM_SECTOR_EQUIPMENT_HOME] = {"#E69F00",
                                  "#000000",
                                  "house",
                                  "filled",
                                  SW_HOUSE,
                                  {"Equipment and home services",
                                   "Equipo médico y servicios en el hogar"}},
    [CM_SECTOR_PAYER] = {"#56B4E9",
                         "#000000",
                         "note",
                         "filled",
                         SW_NOTE,
                         {"Insurance and benefits", "Seguro médico y beneficios"}},
    [CM_SECTOR_FAMILY_SUPPORT] = {"#D55E00",
                                  "#000000",
                                  "box",
                                  "rounded,filled",
                                  SW_ROUNDED,
                                  {"Family and friends", "Familia y amigos"}},
};

/* The drawing's own words. Sentences are built from pieces, never from a translated format
 * string, so a catalog can never hand printf a "%s" it does not expect. */
struct words {
    const char *lang;
    const char *family; /* the centre when the map has no family label */
    const char *lead;
    const char *backup;
    const char *title; /* followed by the family label */
    const char *around;
    const char *rings;
    const char *by_sector;
    const char *lead_is;
    const char *backup_is;
    const char *no_lead;
    const char *legend;
    const char *thick;
    const char *dashed;
};

static const struct words words_by_lang[] = {
    {"en", "The family", "Lead coordinator", "Backup", "Care map: ", " relationships around ",
     "Ring 1, nearest the centre, holds the closest relationships; ring 3 the farthest.",
     "By sector: ", "Lead coordinator: ", "Backup: ", "No lead coordinator.", "Sectors",
     "Thick border: lead coordinator or backup", "Dashed line: how they keep in touch"},
    {"es", "La familia", "Coordinador(a) principal", "Suplente",
     "Mapa de cuidados: ", " relaciones alrededor de ",
     "El anillo 1, el más cercano al centro, tiene las relaciones más cercanas; el anillo 3, "
     "las más lejanas.",
     "Por sector: ", "Coordinador(a) principal: ", "Suplente: ", "Sin coordinador(a) principal.",
     "Sectores", "Borde grueso: coordinador(a) principal o suplente",
     "Línea discontinua: cómo se comunican"},
};

/* Graphviz units are inches; a 10 pt label character is about 0.6 em wide. */
/* Helvetica first: it is the family whose metrics Graphviz uses to size the labels. */
#define FONT        "Helvetica,Arial,Noto Sans,sans-serif"
#define FONT_PT     10.0
#define CHAR_IN     (FONT_PT * 0.6 / 72.0)
#define RING_GAP_IN 1.1
/* Legend geometry, in SVG points. */
#define LG_ROW    22.0
#define LG_PAD    12.0
#define LG_SW_W   28.0
#define LG_SW_H   16.0
#define LG_TEXT_X (LG_PAD + LG_SW_W + 10.0)
#define LG_CHAR   6.6 /* a 12 pt character, generously */

/* ---- the one Graphviz context ---------------------------------------------------------------- */

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
/* Guarded by gv_lock: the context and the plugin libraries it was made from. */
static GVC_t *gv_ctx;
static void *gv_plugins[2];

static const char *const plugin_files[2] = {"libgvplugin_core.so.6",
                                            "libgvplugin_neato_layout.so.6"};
static const char *const plugin_symbols[2] = {"gvplugin_core_LTX_library",
                                              "gvplugin_neato_layout_LTX_library"};

/* Graphviz reports through agerr(), which prints to stderr unless given a handler. Its messages
 * name nodes by our ids ("member-42") and never carry label text, so they may be logged. */
static int
gv_message(char *msg)
{
    size_t n = strcspn(msg, "\n");
    cm_log_warn("component=caremap_svg graphviz=\"%.*s\"", (int)(n > 200 ? 200 : n), msg);
    return 0;
}

static void
close_plugins(void)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(gv_plugins); i++)
        if (gv_plugins[i] != NULL) {
            dlclose(gv_plugins[i]);
            gv_plugins[i] = NULL;
        }
}

/* Makes gv_ctx from the core and neato_layout plugins, which live in the "graphviz" directory
 * next to libgvc (Debian: /usr/lib/<triplet>/graphviz). Called under gv_lock. */
static enum cm_code
open_context(struct cm_err *err)
{
    Dl_info info;
    if (dladdr((void *)gvContext, &info) == 0 || info.dli_fname == NULL)
        return cm_err_set(err, CM_EINTERNAL, "graphviz", "cannot find where libgvc is installed");
    const char *slash = strrchr(info.dli_fname, '/');
    int dir_len = slash ? (int)(slash - info.dli_fname) : 1;
    const char *dir = slash ? info.dli_fname : ".";
    lt_symlist_t builtins[3] = {{NULL, NULL}, {NULL, NULL}, {NULL, NULL}};
    for (size_t i = 0; i < CM_ARRAY_LEN(plugin_files); i++) {
        char path[1024];
        int n = snprintf(path, sizeof(path), "%.*s/graphviz/%s", dir_len, dir, plugin_files[i]);
        if (n < 0 || (size_t)n >= sizeof(path))
            return cm_err_set(err, CM_EINTERNAL, "graphviz", "plugin path too long");
        gv_plugins[i] = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        void *lib = gv_plugins[i] ? dlsym(gv_plugins[i], plugin_symbols[i]) : NULL;
        if (lib == NULL) {
            cm_log_error("component=caremap_svg msg=\"graphviz plugin missing\" plugin=%s",
                         plugin_files[i]);
            close_plugins();
            return cm_err_set(err, CM_EINTERNAL, "graphviz",
                              "Graphviz plugin %s is missing (Debian package libgvc6)",
                              plugin_files[i]);
        }
        builtins[i] = (lt_symlist_t){plugin_symbols[i], lib};
    }
    agseterrf(gv_message);
    /* 0: only these plugins, not the installed configuration. */
    gv_ctx = gvContextPlugins(builtins, 0);
    if (gv_ctx == NULL) {
        close_plugins();
        return cm_err_set(err, CM_EINTERNAL, "graphviz", "cannot create a Graphviz context");
    }
    return CM_OK;
}

void
cm_render_caremap_svg_shutdown(void)
{
    pthread_mutex_lock(&gv_lock);
    if (gv_ctx != NULL) {
        gvFreeContext(gv_ctx);
        gv_ctx = NULL;
    }
    close_plugins();
    pthread_mutex_unlock(&gv_lock);
}

/* ---- one call's state ------------------------------------------------------------------------ */

struct draw {
    const struct cm_caremap *map;
    const struct words *w;
    struct cm_arena *a;
    bool oom;             /* an arena allocation failed: the result is CM_ETOOBIG */
    size_t *order;        /* node indexes by sector, then ring, then position in the map */
    const char **via_fam; /* per node: "how, how often" of its links with the family, or NULL */
    Agnode_t **gn;        /* per node */
    size_t per_sector[CM_SECTOR_COUNT];
    size_t per_ring[CM_CAREMAP_RINGS + 1];
    bool any_lead, any_link;
};

/* The Graphviz API takes char * for strings it only copies. */
static void
set(void *obj, const char *key, const char *value)
{
    agsafeset(obj, (char *)key, (char *)value, (char *)"");
}

/* s made safe as Graphviz label (tooltip == false) or tooltip text, in the arena. See the file
 * comment; tooltips unescape "\\" before expanding "\N", so there a backslash before one of the
 * expansion letters is kept apart from it by an invisible word joiner instead. */
static const char *
text(struct draw *d, const char *s, bool tooltip)
{
    struct cm_buf b;
    cm_buf_init(&b, d->a, 64 * 1024);
    enum cm_code rc = cm_buf_puts(&b, "");
    for (const char *p = s ? s : ""; *p != '\0' && rc == CM_OK; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' && tooltip && p[1] != '\0' && strchr("GNEHTLgnehtl", p[1]) != NULL)
            rc = cm_buf_puts(&b, "\\\\\xE2\x81\xA0");
        else if (c == '\\')
            rc = cm_buf_puts(&b, "\\\\");
        else if (c == '&')
            rc = cm_buf_puts(&b, "&amp;");
        else if (c < 0x20 || c == 0x7F)
            rc = cm_buf_puts(&b, " ");
        else
            rc = cm_buf_append(&b, p, 1);
    }
    if (rc != CM_OK) {
        d->oom = true;
        return "";
    }
    return b.data;
}

/* A code such as "nurse_care_coordinator" read as words. */
static const char *
words_of(struct draw *d, const char *s)
{
    char *out = cm_arena_strdup(d->a, s ? s : "");
    if (out == NULL) {
        d->oom = true;
        return "";
    }
    for (char *p = out; *p != '\0'; p++)
        if (*p == '_')
            *p = ' ';
    return out;
}

static bool
empty(const char *s)
{
    return s == NULL || *s == '\0';
}

/* What a member is called: the person's name, else the organisation, else the role. */
static const char *
called(const struct cm_caremap_node *n)
{
    if (!empty(n->name))
        return n->name;
    if (!empty(n->organization))
        return n->organization;
    return n->role ? n->role : "";
}

/* ---- validation ------------------------------------------------------------------------------ */

static enum cm_code
check_text(const char *s, const char *field, struct cm_err *err)
{
    if (s != NULL && !cm_utf8_valid(s, strlen(s)))
        return cm_err_set(err, CM_EINVAL, field, "is not valid UTF-8");
    return CM_OK;
}

static int
cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* The node index of id, or -1 (ids sorted alongside idx). */
static long
find(const int64_t *sorted, const size_t *idx, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] == id)
            return (long)idx[mid];
        if (sorted[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Pairs of (id, index) sorted by id, to check ids are unique and to resolve links. */
struct id_index {
    int64_t id;
    size_t i;
};

static enum cm_code
check_map(struct draw *d, int64_t **ids_out, size_t **idx_out, struct cm_err *err)
{
    const struct cm_caremap *m = d->map;
    char field[64];
    if (m->n_nodes > CM_CAREMAP_SVG_NODES_MAX)
        return cm_err_set(err, CM_ETOOBIG, "nodes", "a map draws at most %d relationships, got %zu",
                          CM_CAREMAP_SVG_NODES_MAX, m->n_nodes);
    if (m->n_links > CM_CAREMAP_SVG_LINKS_MAX)
        return cm_err_set(err, CM_ETOOBIG, "links", "a map draws at most %d links, got %zu",
                          CM_CAREMAP_SVG_LINKS_MAX, m->n_links);
    if ((m->n_nodes > 0 && m->nodes == NULL) || (m->n_links > 0 && m->links == NULL))
        return cm_err_set(err, CM_EINVAL, "map", "has counts but no arrays");
    enum cm_code rc = check_text(m->family_label, "family_label", err);
    if (rc == CM_OK)
        rc = check_text(m->child_name, "child_name", err);
    if (rc != CM_OK)
        return rc;

    for (size_t i = 0; i < m->n_nodes; i++) {
        const struct cm_caremap_node *n = &m->nodes[i];
        if (n->sector <= CM_SECTOR_NONE || n->sector >= CM_SECTOR_COUNT) {
            snprintf(field, sizeof(field), "nodes[%zu].sector", i);
            return cm_err_set(err, CM_EINVAL, field, "relationship %lld has no sector (got %d)",
                              (long long)n->id, (int)n->sector);
        }
        if (n->ring < 1 || n->ring > CM_CAREMAP_RINGS) {
            snprintf(field, sizeof(field), "nodes[%zu].ring", i);
            return cm_err_set(err, CM_EINVAL, field,
                              "relationship %lld: ring must be 1 to %d, got %d", (long long)n->id,
                              CM_CAREMAP_RINGS, n->ring);
        }
        if (n->id == 0) {
            snprintf(field, sizeof(field), "nodes[%zu].id", i);
            return cm_err_set(err, CM_EINVAL, field, "id 0 is the family, not a relationship");
        }
        if ((int)n->lead < CM_LEAD_NONE || n->lead >= CM_LEAD_COUNT) {
            snprintf(field, sizeof(field), "nodes[%zu].lead", i);
            return cm_err_set(err, CM_EINVAL, field, "relationship %lld: unknown lead value %d",
                              (long long)n->id, (int)n->lead);
        }
        const char *texts[] = {n->name, n->role, n->service, n->organization};
        const char *names[] = {"name", "role", "service", "organization"};
        for (size_t t = 0; t < CM_ARRAY_LEN(texts); t++) {
            snprintf(field, sizeof(field), "nodes[%zu].%s", i, names[t]);
            rc = check_text(texts[t], field, err);
            if (rc != CM_OK)
                return rc;
        }
        d->per_sector[n->sector]++;
        d->per_ring[n->ring]++;
        d->any_lead = d->any_lead || n->lead != CM_LEAD_NONE;
    }

    struct id_index *pairs = cm_arena_calloc(d->a, m->n_nodes + 1, sizeof(*pairs));
    int64_t *ids = cm_arena_calloc(d->a, m->n_nodes + 1, sizeof(*ids));
    size_t *idx = cm_arena_calloc(d->a, m->n_nodes + 1, sizeof(*idx));
    if (pairs == NULL || ids == NULL || idx == NULL)
        return cm_err_set(err, CM_ETOOBIG, "map", "out of memory for the drawing");
    for (size_t i = 0; i < m->n_nodes; i++)
        pairs[i] = (struct id_index){m->nodes[i].id, i};
    /* The id is the first member, so cmp_id orders pairs by id. */
    qsort(pairs, m->n_nodes, sizeof(*pairs), cmp_id);
    for (size_t i = 0; i < m->n_nodes; i++) {
        ids[i] = pairs[i].id;
        idx[i] = pairs[i].i;
        if (i > 0 && ids[i] == ids[i - 1]) {
            size_t at = pairs[i].i > pairs[i - 1].i ? pairs[i].i : pairs[i - 1].i;
            snprintf(field, sizeof(field), "nodes[%zu].id", at);
            return cm_err_set(err, CM_EINVAL, field, "relationship %lld appears twice",
                              (long long)ids[i]);
        }
    }

    for (size_t i = 0; i < m->n_links; i++) {
        const struct cm_caremap_link *l = &m->links[i];
        int64_t ends[2] = {l->from, l->to};
        for (int e = 0; e < 2; e++) {
            if (ends[e] != 0 && find(ids, idx, m->n_nodes, ends[e]) < 0) {
                snprintf(field, sizeof(field), "links[%zu].%s", i, e == 0 ? "from" : "to");
                return cm_err_set(err, CM_EINVAL, field,
                                  "links to %lld, which is not a relationship on this map",
                                  (long long)ends[e]);
            }
        }
        if (l->from == l->to) {
            snprintf(field, sizeof(field), "links[%zu].to", i);
            return cm_err_set(err, CM_EINVAL, field, "links %lld to itself", (long long)l->from);
        }
        snprintf(field, sizeof(field), "links[%zu].how", i);
        rc = check_text(l->how, field, err);
        snprintf(field, sizeof(field), "links[%zu].how_often", i);
        if (rc == CM_OK)
            rc = check_text(l->how_often, field, err);
        if (rc != CM_OK)
            return rc;
    }
    *ids_out = ids;
    *idx_out = idx;
    return CM_OK;
}

/* ---- the graph ------------------------------------------------------------------------------- */

/* "phone, weekly" from a link, in words. */
static const char *
how(struct draw *d, const struct cm_caremap_link *l)
{
    const char *h = empty(l->how) ? "" : words_of(d, l->how);
    const char *o = empty(l->how_often) ? "" : words_of(d, l->how_often);
    const char *s = cm_arena_printf(d->a, "%s%s%s", h, (*h && *o) ? ", " : "", o);
    if (s == NULL) {
        d->oom = true;
        return "";
    }
    return s;
}

static const char *
cat(struct draw *d, const char *x, const char *sep, const char *y)
{
    const char *s = cm_arena_printf(d->a, "%s%s%s", x, sep, y);
    if (s == NULL) {
        d->oom = true;
        return "";
    }
    return s;
}

/* A member's place in the order twopi goes round: by sector, then ring, then place in the map. */
struct place {
    int sector, ring;
    size_t i;
};

static int
cmp_place(const void *x, const void *y)
{
    const struct place *a = x, *b = y;
    if (a->sector != b->sector)
        return a->sector < b->sector ? -1 : 1;
    if (a->ring != b->ring)
        return a->ring < b->ring ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static Agnode_t *
node(Agraph_t *g, const char *name)
{
    return agnode(g, (char *)name, 1);
}

static Agedge_t *
edge(Agraph_t *g, Agnode_t *t, Agnode_t *h, const char *id, bool tree)
{
    Agedge_t *e = agedge(g, t, h, NULL, 1);
    if (e == NULL)
        return NULL;
    if (id != NULL)
        set(e, "id", id);
    set(e, "weight", tree ? "1" : "0");
    return e;
}

static Agedge_t *
invisible(Agraph_t *g, Agnode_t *t, Agnode_t *h)
{
    Agedge_t *e = edge(g, t, h, NULL, true);
    if (e != NULL)
        set(e, "style", "invis");
    return e;
}

/* The radius each ring needs, in inches, as twopi's ranksep list (first radius, then increments):
 * wide enough that the ring's members, side by side, go round it once. */
static const char *
ranksep(struct draw *d)
{
    double wide = 1.2;
    for (size_t i = 0; i < d->map->n_nodes; i++) {
        const struct cm_caremap_node *n = &d->map->nodes[i];
        size_t chars = strlen(called(n));
        size_t r = n->role ? strlen(n->role) : 0;
        chars = chars > r ? chars : r;
        double w = (double)chars * CHAR_IN + 0.4;
        wide = w > wide ? w : wide;
    }
    /* Not every label is the widest: a ring is sized for 70% of it per member. */
    double per = wide * 0.7 + 0.2;
    double r[CM_CAREMAP_RINGS + 1] = {0};
    for (int k = 1; k <= CM_CAREMAP_RINGS; k++) {
        double need = (double)d->per_ring[k] * per / (2.0 * M_PI);
        double min = k == 1 ? 1.6 : r[k - 1] + RING_GAP_IN;
        r[k] = need > min ? need : min;
    }
    const char *s = cm_arena_printf(d->a, "%.2f:%.2f:%.2f", r[1], r[2] - r[1], r[3] - r[2]);
    if (s == NULL) {
        d->oom = true;
        return "1.6";
    }
    return s;
}

static void
style_graph(struct draw *d, Agraph_t *g)
{
    set(g, "root", "family");
    set(g, "ranksep", ranksep(d));
    set(g, "overlap", "false");
    set(g, "outputorder", "edgesfirst");
    set(g, "fontname", FONT);
    agattr(g, AGNODE, (char *)"fontname", (char *)FONT);
    agattr(g, AGNODE, (char *)"fontsize", (char *)"10");
    agattr(g, AGEDGE, (char *)"fontname", (char *)FONT);
    agattr(g, AGEDGE, (char *)"fontsize", (char *)"8");
    agattr(g, AGEDGE, (char *)"color", (char *)"#555555");
}

static Agnode_t *
family_node(struct draw *d, Agraph_t *g)
{
    const struct cm_caremap *m = d->map;
    Agnode_t *f = node(g, "family");
    if (f == NULL)
        return NULL;
    const char *label = empty(m->family_label) ? d->w->family : m->family_label;
    const char *lbl = text(d, label, false);
    const char *tip = text(d, label, true);
    if (!empty(m->child_name)) {
        lbl = cat(d, lbl, "\\n", text(d, m->child_name, false));
        tip = cat(d, tip, " - ", text(d, m->child_name, true));
    }
    set(f, "id", "family");
    set(f, "label", lbl);
    set(f, "tooltip", tip);
    set(f, "shape", "doublecircle");
    set(f, "style", "filled");
    set(f, "fillcolor", "#FFFFFF");
    set(f, "penwidth", "2");
    set(f, "fontsize", "12");
    return f;
}

static Agnode_t *
member_node(struct draw *d, Agraph_t *g, size_t i)
{
    const struct cm_caremap_node *n = &d->map->nodes[i];
    const struct sector_look *look = &looks[n->sector];
    char name[48];
    snprintf(name, sizeof(name), "member-%lld", (long long)n->id);
    Agnode_t *gn = node(g, name);
    if (gn == NULL)
        return NULL;

    const char *role = words_of(d, n->role);
    const char *label = text(d, called(n), false);
    if (!empty(n->role) && called(n) != n->role)
        label = cat(d, label, "\\n", text(d, role, false));
    const char *tip = text(d, called(n), true);
    if (!empty(n->role) && called(n) != n->role)
        tip = cat(d, tip, " - ", text(d, role, true));
    if (!empty(n->organization) && called(n) != n->organization)
        tip = cat(d, tip, " - ", text(d, n->organization, true));
    if (!empty(n->service))
        tip = cat(d, tip, " - ", text(d, n->service, true));
    tip = cat(d, tip, " - ", look->name[d->w == &words_by_lang[1]]);
    if (n->lead != CM_LEAD_NONE) {
        const char *mark = n->lead == CM_LEAD_LEAD ? d->w->lead : d->w->backup;
        label = cat(d, label, "\\n", mark);
        tip = cat(d, tip, " - ", mark);
    }

    set(gn, "id", name);
    set(gn, "label", label);
    set(gn, "tooltip", tip);
    set(gn, "shape", look->shape);
    set(gn, "style", look->style);
    set(gn, "fillcolor", look->fill);
    set(gn, "fontcolor", look->ink);
    set(gn, "color", "#000000");
    set(gn, "penwidth", n->lead == CM_LEAD_LEAD ? "4" : n->lead == CM_LEAD_BACKUP ? "2.5" : "1");
    set(gn, "class", cm_sector_name(n->sector));
    return gn;
}

/* Adds every node and edge. false if Graphviz refused one (it reports why through gv_message). */
static bool
build(struct draw *d, Agraph_t *g)
{
    const struct cm_caremap *m = d->map;
    style_graph(d, g);
    Agnode_t *fam = family_node(d, g);
    if (fam == NULL)
        return false;

    /* The hubs through which ring 2 and ring 3 hang, made when a sector first needs them. */
    Agnode_t *hub[CM_SECTOR_COUNT][CM_CAREMAP_RINGS] = {{NULL}};
    for (size_t k = 0; k < m->n_nodes; k++) {
        size_t i = d->order[k];
        const struct cm_caremap_node *n = &m->nodes[i];
        Agnode_t *gn = member_node(d, g, i);
        if (gn == NULL)
            return false;
        d->gn[i] = gn;

        Agnode_t *parent = fam;
        for (int r = 1; r < n->ring; r++) {
            if (hub[n->sector][r] == NULL) {
                char name[48];
                snprintf(name, sizeof(name), "hub-%s-%d", cm_sector_name(n->sector), r);
                Agnode_t *h = node(g, name);
                if (h == NULL || invisible(g, parent, h) == NULL)
                    return false;
                set(h, "id", name);
                set(h, "shape", "point");
                set(h, "style", "invis");
                set(h, "width", "0.01");
                set(h, "label", "");
                hub[n->sector][r] = h;
            }
            parent = hub[n->sector][r];
        }
        if (n->ring > 1 && invisible(g, parent, gn) == NULL)
            return false;

        char id[48];
        snprintf(id, sizeof(id), "tie-%lld", (long long)n->id);
        Agedge_t *e = edge(g, fam, gn, id, n->ring == 1);
        if (e == NULL)
            return false;
        /* A link with the family is drawn on the member's line to the family. */
        if (d->via_fam[i] != NULL) {
            set(e, "style", "dashed");
            set(e, "penwidth", "1.5");
            set(e, "label", text(d, d->via_fam[i], false));
            set(e, "tooltip", text(d, d->via_fam[i], true));
        } else {
            set(e, "color", "#999999");
        }
    }

    for (size_t i = 0; i < m->n_links; i++) {
        const struct cm_caremap_link *l = &m->links[i];
        if (l->from == 0 || l->to == 0)
            continue;
        Agnode_t *t = NULL, *h = NULL;
        for (size_t j = 0; j < m->n_nodes && (t == NULL || h == NULL); j++) {
            if (m->nodes[j].id == l->from)
                t = d->gn[j];
            if (m->nodes[j].id == l->to)
                h = d->gn[j];
        }
        char id[48];
        snprintf(id, sizeof(id), "link-%zu", i);
        Agedge_t *e = edge(g, t, h, id, false);
        if (e == NULL)
            return false;
        const char *said = how(d, l);
        set(e, "style", "dashed");
        set(e, "label", text(d, said, false));
        set(e, "tooltip", text(d, said, true));
    }
    return !d->oom;
}

/* ---- the SVG around Graphviz's ----------------------------------------------------------------
 */

/* Appends s escaped for XML text and attribute values; control characters become spaces. */
static enum cm_code
put_xml(struct cm_buf *b, const char *s)
{
    enum cm_code rc = CM_OK;
    for (const char *p = s ? s : ""; *p != '\0' && rc == CM_OK; p++) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&':
            rc = cm_buf_puts(b, "&amp;");
            break;
        case '<':
            rc = cm_buf_puts(b, "&lt;");
            break;
        case '>':
            rc = cm_buf_puts(b, "&gt;");
            break;
        case '"':
            rc = cm_buf_puts(b, "&quot;");
            break;
        default:
            rc = (c < 0x20 || c == 0x7F) ? cm_buf_puts(b, " ") : cm_buf_append(b, p, 1);
        }
    }
    return rc;
}

/* Characters (not bytes) of UTF-8 s. */
static size_t
chars_of(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The <desc>: how many relationships, around whom, per sector, and who leads. */
static enum cm_code
put_desc(struct draw *d, struct cm_buf *b)
{
    const struct cm_caremap *m = d->map;
    const struct words *w = d->w;
    int es = w == &words_by_lang[1];
    enum cm_code rc = cm_buf_printf(b, "%zu", m->n_nodes);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, w->around);
    if (rc == CM_OK)
        rc = put_xml(b, empty(m->family_label) ? w->family : m->family_label);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, ". ");
    if (rc == CM_OK)
        rc = put_xml(b, w->rings);
    if (rc == CM_OK && m->n_nodes > 0)
        rc = cm_buf_printf(b, " %s", w->by_sector);
    bool first = true;
    for (int s = 1; s < CM_SECTOR_COUNT && rc == CM_OK; s++) {
        if (d->per_sector[s] == 0)
            continue;
        rc = cm_buf_printf(b, "%s%s %zu", first ? "" : ", ", looks[s].name[es], d->per_sector[s]);
        first = false;
    }
    if (rc == CM_OK && m->n_nodes > 0)
        rc = cm_buf_puts(b, ".");
    bool lead = false;
    for (size_t i = 0; i < m->n_nodes && rc == CM_OK; i++) {
        const struct cm_caremap_node *n = &m->nodes[i];
        if (n->lead == CM_LEAD_NONE)
            continue;
        lead = lead || n->lead == CM_LEAD_LEAD;
        rc = cm_buf_printf(b, " %s", n->lead == CM_LEAD_LEAD ? w->lead_is : w->backup_is);
        if (rc == CM_OK)
            rc = put_xml(b, called(n));
        if (rc == CM_OK)
            rc = cm_buf_puts(b, ".");
    }
    if (rc == CM_OK && !lead)
        rc = cm_buf_printf(b, " %s", w->no_lead);
    return rc;
}

/* One legend swatch at (x, y): the sector's shape in its colour, as Graphviz draws the nodes. */
static enum cm_code
put_swatch(struct cm_buf *b, const struct sector_look *look, double x, double y)
{
    const double W = LG_SW_W, H = LG_SW_H;
    char paint[96];
    snprintf(paint, sizeof(paint), "fill=\"%s\" stroke=\"#000000\"", look->fill);
    switch (look->swatch) {
    case SW_BOX:
        return cm_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" %s/>",
                             x, y, W, H, paint);
    case SW_ROUNDED:
        return cm_buf_printf(
            b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"5\" %s/>", x, y, W,
            H, paint);
    case SW_ELLIPSE:
        return cm_buf_printf(b, "<ellipse cx=\"%.1f\" cy=\"%.1f\" rx=\"%.1f\" ry=\"%.1f\" %s/>",
                             x + W / 2, y + H / 2, W / 2, H / 2, paint);
    case SW_HEXAGON:
        return cm_buf_printf(b,
                             "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f "
                             "%.1f,%.1f\" %s/>",
                             x, y + H / 2, x + 7, y, x + W - 7, y, x + W, y + H / 2, x + W - 7,
                             y + H, x + 7, y + H, paint);
    case SW_OCTAGON:
        return cm_buf_printf(b,
                             "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f "
                             "%.1f,%.1f %.1f,%.1f %.1f,%.1f\" %s/>",
                             x + 6, y, x + W - 6, y, x + W, y + 5, x + W, y + H - 5, x + W - 6,
                             y + H, x + 6, y + H, x, y + H - 5, x, y + 5, paint);
    case SW_HOUSE:
        return cm_buf_printf(
            b, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" %s/>",
            x + W / 2, y, x + W, y + 6, x + W, y + H, x, y + H, x, y + 6, paint);
    case SW_NOTE:
        return cm_buf_printf(b,
                             "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f "
                             "%.1f,%.1f\" %s/><polyline points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                             "fill=\"none\" stroke=\"#000000\"/>",
                             x, y, x + W - 7, y, x + W, y + 7, x + W, y + H, x, y + H, paint,
                             x + W - 7, y, x + W - 7, y + 7, x + W, y + 7);
    }
    return CM_OK;
}

static enum cm_code
put_legend_text(struct cm_buf *b, double y, const char *s, bool bold)
{
    enum cm_code rc =
        cm_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-family=\"" FONT "\" font-size=\"12\"%s>",
                      bold ? LG_PAD : LG_TEXT_X, y, bold ? " font-weight=\"bold\"" : "");
    if (rc == CM_OK)
        rc = put_xml(b, s);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, "</text>\n");
    return rc;
}

/* The legend's rows: a heading, each sector present, then the line and border cues in use. */
static size_t
legend_rows(const struct draw *d, double *width)
{
    int es = d->w == &words_by_lang[1];
    size_t rows = 1, widest = chars_of(d->w->legend);
    for (int s = 1; s < CM_SECTOR_COUNT; s++)
        if (d->per_sector[s] > 0) {
            rows++;
            size_t c = chars_of(looks[s].name[es]);
            widest = c > widest ? c : widest;
        }
    const char *extra[] = {d->any_lead ? d->w->thick : NULL, d->any_link ? d->w->dashed : NULL};
    for (size_t i = 0; i < CM_ARRAY_LEN(extra); i++)
        if (extra[i] != NULL) {
            rows++;
            size_t c = chars_of(extra[i]);
            widest = c > widest ? c : widest;
        }
    *width = LG_TEXT_X + (double)widest * LG_CHAR + LG_PAD;
    return rows;
}

static enum cm_code
put_legend(struct draw *d, struct cm_buf *b, double top, double width, double height)
{
    int es = d->w == &words_by_lang[1];
    enum cm_code rc =
        cm_buf_printf(b,
                      "<g id=\"legend\" class=\"legend\" transform=\"translate(0 %.2f)\">\n"
                      "<rect x=\"0\" y=\"0\" width=\"%.2f\" height=\"%.2f\" fill=\"#FFFFFF\"/>\n",
                      top, width, height);
    double y = LG_PAD;
    if (rc == CM_OK)
        rc = put_legend_text(b, y + 12, d->w->legend, true);
    for (int s = 1; s < CM_SECTOR_COUNT && rc == CM_OK; s++) {
        if (d->per_sector[s] == 0)
            continue;
        y += LG_ROW;
        rc = cm_buf_printf(b, "<g id=\"legend-%s\">", cm_sector_name((enum cm_sector)s));
        if (rc == CM_OK)
            rc = put_swatch(b, &looks[s], LG_PAD, y);
        if (rc == CM_OK)
            rc = put_legend_text(b, y + 12, looks[s].name[es], false);
        if (rc == CM_OK)
            rc = cm_buf_puts(b, "</g>\n");
    }
    if (rc == CM_OK && d->any_lead) {
        y += LG_ROW;
        rc = cm_buf_printf(b,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"#FFFFFF\" stroke=\"#000000\" stroke-width=\"4\"/>",
                           LG_PAD + 2, y + 2, LG_SW_W - 4, LG_SW_H - 4);
        if (rc == CM_OK)
            rc = put_legend_text(b, y + 12, d->w->thick, false);
    }
    if (rc == CM_OK && d->any_link) {
        y += LG_ROW;
        rc = cm_buf_printf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"5,2\"/>",
                           LG_PAD, y + LG_SW_H / 2, LG_PAD + LG_SW_W, y + LG_SW_H / 2);
        if (rc == CM_OK)
            rc = put_legend_text(b, y + 12, d->w->dashed, false);
    }
    if (rc == CM_OK)
        rc = cm_buf_puts(b, "</g>\n");
    return rc;
}

/* The first n-byte needle in hay[len], or NULL (memmem is a GNU extension). */
static const char *
find_bytes(const char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; len >= n && i <= len - n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Copies Graphviz's content, turning "&#45;" back into "-" inside id="..." values. */
static enum cm_code
put_body(struct cm_buf *b, const char *p, const char *end)
{
    static const char key[] = " id=\"";
    enum cm_code rc = CM_OK;
    while (p < end && rc == CM_OK) {
        const char *hit = find_bytes(p, (size_t)(end - p), key, sizeof(key) - 1);
        if (hit == NULL)
            return cm_buf_append(b, p, (size_t)(end - p));
        hit += sizeof(key) - 1;
        rc = cm_buf_append(b, p, (size_t)(hit - p));
        p = hit;
        while (p < end && *p != '"' && rc == CM_OK) {
            if ((size_t)(end - p) >= 5 && memcmp(p, "&#45;", 5) == 0) {
                rc = cm_buf_puts(b, "-");
                p += 5;
            } else {
                rc = cm_buf_append(b, p++, 1);
            }
        }
    }
    return rc;
}

/* Wraps Graphviz's SVG (gv, n bytes) with our root element, title, description and legend. */
static enum cm_code
finish(struct draw *d, const char *gv, size_t n, struct cm_buf *b, struct cm_err *err)
{
    const char *end = gv + n;
    const char *open = find_bytes(gv, n, "<svg", 4);
    const char *close = open ? find_bytes(open, (size_t)(end - open), ">", 1) : NULL;
    const char *tail = NULL;
    for (const char *p = end - 6; close != NULL && p > close; p--)
        if (memcmp(p, "</svg>", 6) == 0) {
            tail = p;
            break;
        }
    const char *vb =
        open && close ? find_bytes(open, (size_t)(close - open), "viewBox=\"", 9) : NULL;
    double box[4] = {0};
    if (vb != NULL) {
        char *q = (char *)vb + 9;
        for (int i = 0; i < 4; i++)
            box[i] = strtod(q, &q);
    }
    if (tail == NULL || vb == NULL || box[2] <= 0 || box[3] <= 0) {
        cm_log_error("component=caremap_svg msg=\"unexpected SVG from graphviz\" bytes=%zu", n);
        return cm_err_set(err, CM_EINTERNAL, "svg", "Graphviz wrote an SVG we cannot read");
    }

    double lw = 0;
    size_t rows = legend_rows(d, &lw);
    double lh = (double)rows * LG_ROW + 2 * LG_PAD;
    double w = box[2] > lw ? box[2] : lw, h = box[3] + lh;

    enum cm_code rc = cm_buf_append(b, gv, (size_t)(open - gv));
    if (rc == CM_OK)
        rc = cm_buf_printf(b,
                           "<svg width=\"%.0fpt\" height=\"%.0fpt\" viewBox=\"0 0 %.2f %.2f\" "
                           "xmlns=\"http://www.w3.org/2000/svg\" "
                           "xmlns:xlink=\"http://www.w3.org/1999/xlink\" role=\"img\" lang=\"%s\" "
                           "aria-labelledby=\"caremap-title caremap-desc\">\n"
                           "<title id=\"caremap-title\">%s",
                           ceil(w), ceil(h), w, h, d->w->lang, d->w->title);
    if (rc == CM_OK)
        rc = put_xml(b, empty(d->map->family_label) ? d->w->family : d->map->family_label);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, "</title>\n<desc id=\"caremap-desc\">");
    if (rc == CM_OK)
        rc = put_desc(d, b);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, "</desc>");
    if (rc == CM_OK)
        rc = put_body(b, close + 1, tail);
    if (rc == CM_OK)
        rc = put_legend(d, b, box[3], w, lh);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, "</svg>\n");
    if (rc != CM_OK)
        return cm_err_set(err, CM_ETOOBIG, "svg", "the drawing is larger than %u bytes",
                          CM_CAREMAP_SVG_BYTES_MAX);
    return CM_OK;
}

/* ---- the call -------------------------------------------------------------------------------- */

/* Lays out and renders under gv_lock; fills *out (Graphviz's memory) on success. */
static enum cm_code
draw_locked(struct draw *d, char **out, unsigned int *n, struct cm_err *err)
{
    if (gv_ctx == NULL) {
        enum cm_code rc = open_context(err);
        if (rc != CM_OK)
            return rc;
    }
    Agraph_t *g = agopen((char *)"caremap", Agundirected, NULL);
    if (g == NULL)
        return cm_err_set(err, CM_EINTERNAL, "graphviz", "cannot create a graph");
    enum cm_code rc = CM_OK;
    if (!build(d, g)) {
        rc = d->oom ? cm_err_set(err, CM_ETOOBIG, "map", "out of memory for the drawing")
                    : cm_err_set(err, CM_EINTERNAL, "graphviz", "cannot build the graph");
    } else if (gvLayout(gv_ctx, g, "twopi") != 0) {
        rc = cm_err_set(err, CM_EINTERNAL, "graphviz", "twopi layout failed");
    } else {
        if (gvRenderData(gv_ctx, g, "svg", out, n) != 0 || *out == NULL)
            rc = cm_err_set(err, CM_EINTERNAL, "graphviz", "SVG rendering failed");
        gvFreeLayout(gv_ctx, g);
    }
    agclose(g);
    if (rc != CM_OK)
        cm_log_error("component=caremap_svg nodes=%zu links=%zu msg=\"%s\"", d->map->n_nodes,
                     d->map->n_links, err ? err->msg : "");
    return rc;
}

enum cm_code
cm_render_caremap_svg(const struct cm_caremap *map, const char *lang, char **svg, size_t *len,
                      struct cm_arena *a, struct cm_err *err)
{
    *svg = NULL;
    *len = 0;
    struct draw d = {.map = map, .a = a};
    for (size_t i = 0; i < CM_ARRAY_LEN(words_by_lang); i++)
        if (lang != NULL && strcmp(lang, words_by_lang[i].lang) == 0)
            d.w = &words_by_lang[i];
    if (d.w == NULL)
        return cm_err_set(err, CM_EINVAL, "lang", "must be en or es, got '%s'",
                          lang ? lang : "(none)");

    int64_t *ids = NULL;
    size_t *idx = NULL;
    enum cm_code rc = check_map(&d, &ids, &idx, err);
    if (rc != CM_OK)
        return rc;

    size_t nn = map->n_nodes + 1;
    d.order = cm_arena_calloc(a, nn, sizeof(*d.order));
    d.via_fam = cm_arena_calloc(a, nn, sizeof(*d.via_fam));
    d.gn = cm_arena_calloc(a, nn, sizeof(*d.gn));
    if (d.order == NULL || d.via_fam == NULL || d.gn == NULL)
        return cm_err_set(err, CM_ETOOBIG, "map", "out of memory for the drawing");
    struct place *places = cm_arena_calloc(a, nn, sizeof(*places));
    if (places == NULL)
        return cm_err_set(err, CM_ETOOBIG, "map", "out of memory for the drawing");
    for (size_t i = 0; i < map->n_nodes; i++)
        places[i] = (struct place){(int)map->nodes[i].sector, map->nodes[i].ring, i};
    qsort(places, map->n_nodes, sizeof(*places), cmp_place);
    for (size_t i = 0; i < map->n_nodes; i++)
        d.order[i] = places[i].i;
    for (size_t i = 0; i < map->n_links; i++) {
        const struct cm_caremap_link *l = &map->links[i];
        if (l->from != 0 && l->to != 0) {
            d.any_link = true;
            continue;
        }
        size_t at = (size_t)find(ids, idx, map->n_nodes, l->from != 0 ? l->from : l->to);
        const char *said = how(&d, l);
        d.via_fam[at] = d.via_fam[at] ? cat(&d, d.via_fam[at], "; ", said) : said;
        d.any_link = true;
    }
    if (d.oom)
        return cm_err_set(err, CM_ETOOBIG, "map", "out of memory for the drawing");

    char *gv = NULL;
    unsigned int gv_len = 0;
    pthread_mutex_lock(&gv_lock);
    rc = draw_locked(&d, &gv, &gv_len, err);
    pthread_mutex_unlock(&gv_lock);
    if (rc != CM_OK)
        return rc;

    /* Graphviz's buffer is plain malloc memory, independent of the context: freed outside the
     * lock once copied. */
    struct cm_buf b;
    cm_buf_init(&b, a, CM_CAREMAP_SVG_BYTES_MAX);
    if (gv_len > CM_CAREMAP_SVG_BYTES_MAX)
        rc = cm_err_set(err, CM_ETOOBIG, "svg", "the drawing is larger than %u bytes",
                        CM_CAREMAP_SVG_BYTES_MAX);
    else
        rc = finish(&d, gv, gv_len, &b, err);
    gvFreeRenderData(gv);
    if (rc != CM_OK)
        return rc;
    *svg = b.data;
    *len = b.len;
    return CM_OK;
}
