/*
 * render/caremap_svg: the care map drawn as SVG (issue 7, "Drawing"). Graphviz's twopi lays the map
 * out radially: the family is the root at the centre, every relationship on one of three rings by
 * closeness (ring 1 nearest), each linked to the family by a solid line, and the communication
 * links between members drawn dashed with how (and how often) they talk. Each sector has a colour
 * from the Okabe-Ito palette (told apart by people with any common colour-vision deficiency) and
 * a shape of its own, so colour is never the only cue; a legend below the drawing names every
 * sector present with its colour and shape. The lead coordinator has a thick border and "Lead
 * coordinator" in its label, the backup "Backup".
 *
 * The SVG is for browsers and for screen readers: the root <svg> has role="img", a <title> and a
 * <desc> (how many relationships, per sector, who leads), every member's group has
 * id="member-<team_member id>", the family's id="family", the legend id="legend". Names and roles
 * are data, never markup: the graph is built with cgraph calls (no DOT text), every string is
 * escaped for Graphviz and for XML, so "<b>" in a name is drawn as "<b>".
 *
 * Threads: Graphviz is not thread-safe, so every call holds one process-wide lock for all its
 * Graphviz work; calls from many threads are safe and run one at a time. The Graphviz context is
 * created once for the process, lazily under that lock, and kept (loading the plugins each call
 * would cost more than the layout); cm_render_caremap_svg_shutdown() releases it.
 */
#ifndef CM_RENDER_CAREMAP_SVG_H
#define CM_RENDER_CAREMAP_SVG_H

#include "core/core.h"
#include "model/caremap.h"

/* The largest map drawn: past these the call is CM_ETOOBIG rather than a drawing nobody can read
 * (the demo family has 58 relationships). */
#define CM_CAREMAP_SVG_NODES_MAX 500
#define CM_CAREMAP_SVG_LINKS_MAX 2000
/* The largest SVG returned, in bytes. */
#define CM_CAREMAP_SVG_BYTES_MAX (8u << 20)

/*
 * Draws map as SVG into *svg (*len bytes, allocated in a, NUL-terminated). lang "en" or "es" for
 * the legend, the title and the description (names, roles and services are drawn as given).
 * Nothing of map is kept: its strings are borrowed for the call only.
 *
 * Returns CM_EINVAL naming the problem in err->field ("lang", "nodes[3].sector", "nodes[3].ring",
 * "nodes[3].id", "links[2].to", ...) for an unknown language or a map that breaks the model's rules
 * (sector NONE or unknown, ring outside 1..CM_CAREMAP_RINGS, id 0 or repeated, lead unknown, a link
 * to an unknown id or to itself, text that is not UTF-8); CM_ETOOBIG past the limits above or when
 * the arena is exhausted; CM_EINTERNAL if Graphviz fails (logged, with ids only).
 */
CM_MUST_CHECK enum cm_code cm_render_caremap_svg(const struct cm_caremap *map, const char *lang,
                                                 char **svg, size_t *len, struct cm_arena *a,
                                                 struct cm_err *err);

/* Frees the process's Graphviz context, if one was created. Call once from main after the last
 * drawing has finished (never while another thread draws), so the process exits with no leaks
 * under LeakSanitizer; a later cm_render_caremap_svg() creates a new context. */
void cm_render_caremap_svg_shutdown(void);

#endif
