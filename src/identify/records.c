/*
 * The record reader shared by the files identify reads: see records.h.
 */
#include "identify/records.h"

#include <errno.h>
#include <string.h>

#define FIELDS_MAX CM_RECORDS_FIELDS_MAX

void
cm_records_init_file(struct cm_records *r, FILE *in, char delim)
{
    r->in = in;
    r->buf = r->own;
    r->pos = r->len = 0;
    r->eof = r->ioerr = false;
    r->delim = delim;
    r->line = 1;
    r->bytes_read = 0;
    r->keep = FIELDS_MAX;
    for (size_t k = 0; k < FIELDS_MAX; k++)
        r->cap[k] = CM_RECORDS_FIELD_BUF - 1;
}

void
cm_records_init_mem(struct cm_records *r, const void *buf, size_t len, char delim,
                    size_t first_line)
{
    cm_records_init_file(r, NULL, delim);
    r->buf = buf;
    r->len = len;
    r->line = first_line;
}

static bool
fill(struct cm_records *r)
{
    if (r->eof)
        return false;
    if (r->in == NULL) {
        r->eof = true;
        return false;
    }
    r->len = fread(r->own, 1, sizeof(r->own), r->in);
    r->buf = r->own;
    r->bytes_read += r->len;
    r->pos = 0;
    if (r->len == 0) {
        r->eof = true;
        r->ioerr = ferror(r->in) != 0;
        return false;
    }
    return true;
}

/* The next byte, or -1 at the end of the input. */
static inline int
next_byte(struct cm_records *r)
{
    if (r->pos == r->len && !fill(r))
        return -1;
    return r->buf[r->pos++];
}

static inline int
peek_byte(struct cm_records *r)
{
    if (r->pos == r->len && !fill(r))
        return -1;
    return r->buf[r->pos];
}

static inline void
put(struct cm_records *r, int c)
{
    size_t k = r->nfields;
    if (k < r->keep) {
        if (r->flen[k] < r->cap[k])
            r->field[k][r->flen[k]] = (char)c;
        r->flen[k]++;
    }
}

static void
end_field(struct cm_records *r)
{
    size_t k = r->nfields;
    if (k < r->keep) {
        r->field[k][r->flen[k] < r->cap[k] ? r->flen[k] : r->cap[k]] = '\0';
        /* The next field starts empty: only fields actually reached are reset, so a record costs
         * its own width, not FIELDS_MAX. */
        if (k + 1 < r->keep)
            r->flen[k + 1] = 0;
    }
    r->nfields++;
}

/* Drops a '\r' that ends the line (CRLF files): a line ending is not part of the last field. */
static void
drop_cr(struct cm_records *r)
{
    size_t k = r->nfields;
    if (k < r->keep && r->flen[k] > 0 && r->flen[k] <= r->cap[k] &&
        r->field[k][r->flen[k] - 1] == '\r')
        r->flen[k]--;
}

/* Reads one record. Returns 1 for a record, 0 at the end of the input, -1 on a read error. */
int
cm_records_read(struct cm_records *r)
{
    r->nfields = 0;
    r->flen[0] = 0;
    r->error = NULL;
    r->rec_line = r->line;
    int c = next_byte(r);
    if (c < 0)
        return r->ioerr ? -1 : 0;
    bool csv = r->delim == ',';
    for (;;) {
        /* At the start of a field. */
        if (csv && c == '"') {
            for (;;) {
                c = next_byte(r);
                if (c < 0) {
                    if (r->error == NULL)
                        r->error = "unterminated quoted field";
                    end_field(r);
                    return r->ioerr ? -1 : 1;
                }
                if (c == '"') {
                    if (peek_byte(r) == '"') {
                        put(r, next_byte(r));
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    r->line++;
                put(r, c);
            }
            c = next_byte(r);
            if (c == '\r' && peek_byte(r) == '\n')
                c = next_byte(r);
            if (c >= 0 && c != ',' && c != '\n') {
                if (r->error == NULL)
                    r->error = "text after a closing quote";
                /* Skip to the end of the line: the record is reported, not guessed at. */
                while (c >= 0 && c != '\n')
                    c = next_byte(r);
            }
        } else {
            while (c >= 0 && c != r->delim && c != '\n') {
                if (csv && c == '"' && r->error == NULL)
                    r->error = "quote inside an unquoted field";
                put(r, c);
                c = next_byte(r);
            }
            if (c != r->delim)
                drop_cr(r);
        }
        end_field(r);
        if (c < 0)
            return r->ioerr ? -1 : 1;
        if (c == '\n') {
            r->line++;
            return 1;
        }
        c = next_byte(r); /* after a delimiter: the next field starts, possibly empty */
        if (c < 0 || c == '\n') {
            if (c == '\n')
                r->line++;
            else if (r->ioerr)
                return -1;
            end_field(r);
            return 1;
        }
    }
}

CM_MUST_CHECK enum cm_code
cm_records_detect(struct cm_records *r, const char *want, const char *name, struct cm_err *err)
{
    if (r->pos == r->len && !fill(r)) {
        if (r->ioerr)
            return cm_err_set(err, CM_EIO, "input", "%s: %s", name, strerror(errno));
        return cm_err_set(err, CM_EINVAL, "input", "%s: empty input, expected the header %s", name,
                          want);
    }
    /* A UTF-8 byte order mark (spreadsheet exports) is not part of the first column's name. */
    if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
        r->pos += 3;
    if (r->delim != 0)
        return CM_OK;
    for (size_t i = r->pos; i < r->len && r->buf[i] != '\n'; i++) {
        if (r->buf[i] == '\t') {
            r->delim = '\t';
            return CM_OK;
        }
        if (r->buf[i] == ',' && r->delim == 0)
            r->delim = ',';
    }
    if (r->delim == 0)
        return cm_err_set(err, CM_EINVAL, "input",
                          "%s:1: header must be %s separated by tabs or commas", name, want);
    return CM_OK;
}
