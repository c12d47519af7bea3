/*
 * model/caremap: what a relationship is for the care map, from its role and service (see
 * model/caremap.h). Pure functions of their arguments.
 */
#include "model/caremap.h"

#include <string.h>

#define WORDS_MAX 256

/* s lower-cased, '_' and '-' read as spaces, into buf (cut at size - 1 bytes). */
static const char *
folded(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (; s != NULL && *s != '\0' && n + 1 < size; s++) {
        char c = *s;
        if (c == '_' || c == '-')
            c = ' ';
        else if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        buf[n++] = c;
    }
    buf[n] = '\0';
    return buf;
}

static bool
names_any(const char *role, const char *service, const char *const *words, size_t n)
{
    char r[WORDS_MAX], s[WORDS_MAX];
    folded(role, r, sizeof(r));
    folded(service, s, sizeof(s));
    for (size_t i = 0; i < n; i++)
        if (strstr(r, words[i]) != NULL || strstr(s, words[i]) != NULL)
            return true;
    return false;
}

bool
cm_caremap_is_coordinator(const char *role, const char *service)
{
    static const char *const words[] = {
        "care coordinat",    "case manag", "care manag",
        "service coordinat", "navigator",  "navigation",
    };
    return names_any(role, service, words, sizeof(words) / sizeof(words[0]));
}

bool
cm_caremap_is_primary_care(const char *role, const char *service)
{
    static const char *const words[] = {
        "primary care",
        "general pediatric",
        "pediatrician",
        "family medicine",
    };
    char r[WORDS_MAX];
    /* A specialist pediatrician ("developmental pediatrician", "complex care pediatrician") is
     * not the primary care clinician. */
    folded(role, r, sizeof(r));
    if (strstr(r, "developmental") != NULL || strstr(r, "complex care") != NULL)
        return strstr(r, "primary care") != NULL;
    return names_any(role, service, words, sizeof(words) / sizeof(words[0]));
}

int
cm_caremap_ring(enum cm_sector sector, enum cm_lead lead, const char *role, const char *service)
{
    if (lead == CM_LEAD_LEAD || lead == CM_LEAD_BACKUP || sector == CM_SECTOR_FAMILY_SUPPORT ||
        cm_caremap_is_primary_care(role, service))
        return 1;
    switch (sector) {
    case CM_SECTOR_MEDICAL:
    case CM_SECTOR_MENTAL_HEALTH:
    case CM_SECTOR_EQUIPMENT_HOME:
        return 2;
    case CM_SECTOR_EDUCATION:
    case CM_SECTOR_COMMUNITY:
    case CM_SECTOR_PAYER:
    case CM_SECTOR_NONE:
    case CM_SECTOR_FAMILY_SUPPORT:
    case CM_SECTOR_COUNT:
        break;
    }
    return 3;
}
