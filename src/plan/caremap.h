/*
 * plan/caremap: what the care map shows the family and the team (issue 7): the redundancies
 * (two or more providers of the same service, several coordinators with no lead) and the gaps (no
 * lead or backup coordinator, equipment with no supplier on the map, a technology-dependent child
 * with no sick-day plan or no home nursing, no primary care). docs/caremap.md, "Findings", states
 * every rule: when it fires, when it must not, and why.
 *
 * Pure computation: no I/O, no allocation. The map and the dispositions are borrowed for the
 * call; the const char * fields of a finding point into them (a node's service, a disposition's
 * reason), so a finding lives no longer than the map and dispositions it came from.
 *
 * The map holds only active relationships (the store leaves out ended ones), so no rule looks at
 * start or end dates.
 */
#ifndef CM_PLAN_CAREMAP_H
#define CM_PLAN_CAREMAP_H

#include "model/caremap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cm_caremap_finding_kind {
    CM_FINDING_DUPLICATE_SERVICE,     /* 2+ members of one sector provide the same service */
    CM_FINDING_COORDINATORS_NO_LEAD,  /* 2+ members act as coordinator and no one is the lead */
    CM_FINDING_NO_LEAD,               /* no lead coordinator (and fewer than 2 coordinators) */
    CM_FINDING_NO_BACKUP,             /* a lead but no backup */
    CM_FINDING_EQUIPMENT_NO_SUPPLIER, /* an equipment item names no supplier, or one not on the map
                                       */
    CM_FINDING_TECH_NO_SICK_DAY_PLAN, /* technology-dependent child, no sick-day/action plan */
    CM_FINDING_TECH_NO_HOME_NURSING,  /* technology-dependent child, no home nursing on the map */
    CM_FINDING_NO_PRIMARY_CARE,       /* no primary care clinician on the map */
    CM_FINDING_KINDS
};

/* How a finding is resolved. */
enum cm_caremap_resolve {
    CM_RESOLVE_END_ONE,          /* end the relationship of one of members (duplicates) */
    CM_RESOLVE_DESIGNATE_LEAD,   /* designate a lead coordinator (members: the choices) */
    CM_RESOLVE_DESIGNATE_BACKUP, /* designate a backup (members: the other coordinators) */
    CM_RESOLVE_ADD_MEMBER,       /* add a member to the map (home nursing, primary care, the
                                    supplier named by an equipment item) */
    CM_RESOLVE_ADD_PLAN_ITEM,    /* add an item to the plan (a sick-day plan) */
    CM_RESOLVE_NAME_SUPPLIER,    /* name the supplier of an equipment item */
    CM_RESOLVE_COUNT
};

/* The most members one finding lists; further ones (never seen on a real map) are left off. */
#define CM_FINDING_MEMBERS_MAX 16
/* The size of a finding's key, NUL included. */
#define CM_FINDING_KEY_MAX 96

struct cm_caremap_finding {
    enum cm_caremap_finding_kind kind;
    /* Stable across requests for the same situation, unique within one map: what a disposition
     * refers to. "duplicate_service:<sector>:<service words joined by _>", "coordinators_no_lead",
     * "no_lead", "no_backup", "equipment_no_supplier:item:<item id>", "tech_no_sick_day_plan",
     * "tech_no_home_nursing", "no_primary_care". */
    char key[CM_FINDING_KEY_MAX];
    const char *service; /* duplicates: the service as the lowest id spells it */
    int64_t members[CM_FINDING_MEMBERS_MAX]; /* node ids involved, ascending */
    size_t n_members;
    int64_t item_id;             /* the equipment item, or 0 */
    const char *supplier;        /* the supplier an equipment item names when it is not on the map
                                    (borrowed from the map's facts), else NULL */
    bool intended;               /* marked as intended by the team */
    const char *intended_reason; /* then the disposition's reason; else NULL */
    enum cm_caremap_resolve resolve;
};

/* "Marked as intended": the team has looked at the finding with key and keeps things as they are,
 * for reason. */
struct cm_caremap_disposition {
    const char *key;
    const char *reason;
};

/*
 * Writes every finding of map into out[0 .. min(*n, max)) in a fixed order: by kind (the order of
 * enum cm_caremap_finding_kind), then by key (strcmp). *n is how many findings the map has, counted
 * even past max, so a caller can tell that out was too short. out may be NULL when max is 0.
 *
 * A disposition whose key equals a finding's key marks that finding intended, with its reason (the
 * first such disposition wins); dispositions for keys the map no longer produces change nothing.
 * An intended finding is still listed.
 */
void cm_caremap_findings(const struct cm_caremap *map, const struct cm_caremap_disposition *d,
                         size_t n_d, struct cm_caremap_finding *out, size_t max, size_t *n);

/* "duplicate_service", "coordinators_no_lead", ... (the key's prefix); "" out of range. */
const char *cm_caremap_finding_kind_name(enum cm_caremap_finding_kind k);

/* "end_one", "designate_lead", "designate_backup", "add_member", "add_plan_item",
 * "name_supplier"; "" out of range. */
const char *cm_caremap_resolve_name(enum cm_caremap_resolve r);

/*
 * The message catalog stem of a finding (data/messages/<lang>/caremap.json): append ".title",
 * ".explanation" or ".action". "caremap.finding.<kind name>", except an equipment item whose
 * supplier is named but not on the map: "caremap.finding.equipment_supplier_not_on_map".
 * docs/caremap.md lists each stem's {placeholders}.
 */
const char *cm_caremap_finding_message(const struct cm_caremap_finding *f);

#endif
