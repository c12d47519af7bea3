/*
 * identify/records: the record reader shared by the files `caremap identify` reads (codes,
 * encounters). It reads TSV (no quoting) or CSV (RFC 4180 quotes) from a FILE or from memory,
 * one record at a time, into a fixed set of capped fields, so a huge field or line cannot make
 * memory grow. Internal to the identify module.
 *
 * Ownership: the caller owns the struct (it is large: allocate it, do not put it on the stack) and
 * the source; the reader allocates nothing.
 */
#ifndef CM_IDENTIFY_RECORDS_H
#define CM_IDENTIFY_RECORDS_H

#include "core/core.h"

#include <stdint.h>
#include <stdio.h>

#define CM_RECORDS_BUF        (64 * 1024)
#define CM_RECORDS_FIELDS_MAX 1024 /* fields kept per record; later ones are only counted */
#define CM_RECORDS_FIELD_BUF  129  /* the widest cap plus its NUL */

struct cm_records {
    FILE *in;                 /* NULL when reading from memory */
    const unsigned char *buf; /* own[] for a FILE, the caller's bytes for memory */
    size_t pos, len;
    bool eof, ioerr;
    char delim;          /* '\t' or ','; 0 until detected */
    size_t line;         /* physical line of the next byte, from 1 */
    uint64_t bytes_read; /* from the FILE so far */
    /* The current record: only the first `keep` fields are kept, each up to cap[k] bytes; longer
     * ones are measured (flen) but not stored. error is a quoting problem, or NULL. */
    size_t rec_line;
    size_t nfields;
    size_t keep;
    size_t cap[CM_RECORDS_FIELDS_MAX];
    char field[CM_RECORDS_FIELDS_MAX][CM_RECORDS_FIELD_BUF];
    size_t flen[CM_RECORDS_FIELDS_MAX];
    const char *error;
    unsigned char own[CM_RECORDS_BUF];
};

/* Starts reading in with delimiter delim (0: detect it with cm_records_detect). Every field is
 * kept, capped at CM_RECORDS_FIELD_BUF - 1 bytes, until the caller narrows keep and cap. */
void cm_records_init_file(struct cm_records *r, FILE *in, char delim);

/* Starts reading the len bytes at buf, whose first byte is on line first_line. buf must outlive
 * the reader. */
void cm_records_init_mem(struct cm_records *r, const void *buf, size_t len, char delim,
                         size_t first_line);

/* Skips a UTF-8 byte order mark and, when no delimiter was given, chooses it from the first line:
 * a tab means TSV, else a comma means CSV. want names the expected header in messages. CM_EINVAL
 * "name: empty input" or "name:1: header must be ..."; CM_EIO on a read error. */
CM_MUST_CHECK enum cm_code cm_records_detect(struct cm_records *r, const char *want,
                                             const char *name, struct cm_err *err);

/* Reads one record. Returns 1 for a record, 0 at the end of the input, -1 on a read error. A
 * quoting problem is not a failure: the record is returned with r->error set. */
int cm_records_read(struct cm_records *r);

/* The field k of the current record, NUL-terminated and possibly cut at its cap; its true length
 * is r->flen[k]. */
static inline const char *
cm_records_field(const struct cm_records *r, size_t k)
{
    return r->field[k];
}

#endif
