/*
 * core/data: the files of data/ that the server reads at run time, compiled into the binary
 * (tools/embed_data.cmake) so that a deployed caremap needs no data directory: plan labels
 * (messages/<lang>/plan.json, messages/<lang>/print.json), the starter action plans
 * (templates/action_plans/<id>.json) and the glossaries (glossary/<lang>.json). Each is
 * NUL-terminated after len bytes.
 */
#ifndef CM_CORE_DATA_H
#define CM_CORE_DATA_H

#include <stddef.h>

struct cm_data_file {
    const char *name; /* the path under data/: "glossary/es.json" */
    const char *data;
    size_t len;
};

/* The embedded file at name, or NULL. */
const struct cm_data_file *cm_data_find(const char *name);
/* Every embedded file, sorted by name. */
const struct cm_data_file *cm_data_files(size_t *n);

#endif
