/*
 * Lookup in the embedded data table written by tools/embed_data.cmake. The table is sorted by name
 * and holds a few dozen files, so a binary search is more than enough.
 */
#include "core/data.h"

#include <string.h>

extern const struct cm_data_file cm_data_table[];
extern const size_t cm_data_table_count;

const struct cm_data_file *
cm_data_find(const char *name)
{
    size_t lo = 0, hi = cm_data_table_count;
    while (name != NULL && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, cm_data_table[mid].name);
        if (c == 0)
            return &cm_data_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct cm_data_file *
cm_data_files(size_t *n)
{
    *n = cm_data_table_count;
    return cm_data_table;
}
