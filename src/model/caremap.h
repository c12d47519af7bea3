/*
 * model/caremap: the care map's data (issue 7). The family is at the centre; around it every active
 * relationship of the child and family (care team members, organisations, services, suppliers,
 * school, payer, community), each with its sector and service, and the communication links between
 * them. Plain values, no I/O: the store fills them, plan/caremap finds redundancies and gaps in
 * them, render/caremap_svg draws them.
 *
 * Strings are borrowed (usually from a request arena).
 */
#ifndef CM_MODEL_CAREMAP_H
#define CM_MODEL_CAREMAP_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

/* How close a relationship is to the family: the rings of the drawing, 1 innermost. */
#define CM_CAREMAP_RINGS 3

/* One active relationship: a team member (staff or external contact, possibly only an
 * organisation). */
struct cm_caremap_node {
    int64_t id;               /* the team_member id; never 0 (0 is the family) */
    const char *name;         /* the person's or contact's name */
    const char *role;         /* "nurse_care_coordinator", "neurologist", "school nurse", ... */
    const char *service;      /* the service provided ("neurology", "home nursing"); may be NULL */
    enum cm_sector sector;    /* never CM_SECTOR_NONE in a map */
    const char *organization; /* may be NULL */
    enum cm_lead lead;        /* the child's lead coordinator, the backup, or neither */
    bool coordinator;         /* acts as a care coordinator (hospital, payer, school, agency...) */
    int ring;                 /* 1 to CM_CAREMAP_RINGS */
    const char *start_date;   /* YYYY-MM-DD */
    const char *end_date;     /* YYYY-MM-DD in the future, or NULL */
};

/* Who talks to whom: between two nodes, or a node and the family (id 0). */
struct cm_caremap_link {
    int64_t from, to;
    const char *how;       /* "phone", "portal", "email", "in_person", "video", "fax", "letter" */
    const char *how_often; /* "daily", "weekly", "monthly", "quarterly", "as_needed" */
};

/* A piece of equipment of the plan and the supplier it names (NULL or "" when none). */
struct cm_caremap_equipment {
    int64_t item_id;
    const char *type; /* the plan's equipment type, e.g. "feeding_pump" */
    const char *supplier;
};

/* What the gap rules need from the shared plan of care. */
struct cm_caremap_facts {
    bool tech_dependent;    /* depends on medical technology (equipment or CCC technology codes) */
    bool has_sick_day_plan; /* the plan has an action or sick-day plan */
    const struct cm_caremap_equipment *equipment;
    size_t n_equipment;
};

struct cm_caremap {
    const char *family_label; /* "The Nettlewhite family", the centre of the map */
    const char *child_name;
    const struct cm_caremap_node *nodes;
    size_t n_nodes;
    const struct cm_caremap_link *links;
    size_t n_links;
    struct cm_caremap_facts facts;
};

/* ---- what a relationship is, from its role and service ------------------------------------- */

/* Whether a member with this role and service (either may be NULL) acts as a care coordinator:
 * the role or service names care coordination, case or care management, service coordination or
 * navigation ("nurse_care_coordinator", "hospital case manager", "early intervention service
 * coordinator", "family navigator"), compared case-insensitively with '_' read as a space. A
 * supply or food pantry "coordinator" coordinates no care and is not one. */
bool cm_caremap_is_coordinator(const char *role, const char *service);

/* Whether the role or service is primary care ("primary_care_clinician", "pediatrician",
 * "primary care", "general pediatrics"), compared as cm_caremap_is_coordinator does. */
bool cm_caremap_is_primary_care(const char *role, const char *service);

/* The ring of a relationship, 1 nearest the family: 1 for the lead coordinator and the backup,
 * primary care and family and informal supports; 2 for medical, mental health and equipment and
 * home services, which the family deals with week by week; 3 for education, community and payer.
 */
int cm_caremap_ring(enum cm_sector sector, enum cm_lead lead, const char *role,
                    const char *service);

#endif
