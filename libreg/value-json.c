/* value-json.c: writes computed values as JSON, shaped by their declared types. */
#include "date-private.h"
#include "decimal-private.h"
#include "value-json-private.h"

#if defined(__GNUC__)
#define WRITE_INLINE static inline __attribute__((always_inline))
#else
#define WRITE_INLINE static inline
#endif

/*
 * A value of a kind that does not nest, written where it is met: in a record's or a list's
 * loop, without a call per value (most of a decision's values are scalars, and a call to
 * the recursive writer costs more than writing one). False for lists, records, durations.
 */
WRITE_INLINE bool
write_scalar(RegBuf *b, const RegProgram *p, const RegType *t, RegValue v)
{
  switch ((RegTypeKind) t->kind) {
  case REG_TK_BOOL:
    if (v.i)
      reg_buf_lit(b, "true");
    else
      reg_buf_lit(b, "false");
    return true;
  case REG_TK_INT:
    reg_buf_commit(b, reg_int_format(v.i, reg_buf_reserve(b, 24)));
    return true;
  case REG_TK_DEC:
    reg_buf_commit(b, reg_dec_format(v.i, reg_buf_reserve(b, REG_DEC_FORMAT_MAX + 1)));
    return true;
  case REG_TK_DATE: {
    if (!reg_date_valid(v.i)) {
      reg_buf_lit(b, "null");
      return true;
    }
    char *o = reg_buf_reserve(b, 13);
    o[0] = '"';
    reg_date_format(v.i, o + 1);
    o[11] = '"';
    reg_buf_commit(b, 12);
    return true;
  }
  case REG_TK_TEXT: {
    const RegText *s = v.p;
    if (!s)
      reg_buf_lit(b, "null");
    else
      reg_buf_json_string(b, s->s, s->len);
    return true;
  }
  case REG_TK_ENUM: {
    const RegEnum *e = &p->enums[t->arg];
    if (v.i < 0 || v.i >= (int64_t) e->nmembers) {
      reg_buf_lit(b, "null");
      return true;
    }
    uint32_t m = e->first_member + (uint32_t) v.i;
    reg_buf_add16(b, p->json_blob + p->member_json[m], p->member_json[m + 1] - p->member_json[m]);
    return true;
  }
  default:
    return false;
  }
}

void
reg_write_value(RegBuf *b, const RegProgram *p, uint32_t type, RegValue v)
{
  const RegType *t = &p->types[type];
  if (write_scalar(b, p, t, v))
    return;
  switch ((RegTypeKind) t->kind) {
  case REG_TK_DUR: {
    char tmp[64];
    size_t n = reg_dur_format(v.i, tmp);
    reg_buf_json_string(b, tmp, n);
    return;
  }
  case REG_TK_LIST: {
    const RegList *l = v.p;
    if (!l) {
      reg_buf_lit(b, "null");
      return;
    }
    reg_buf_addc(b, '[');
    const RegType *et = &p->types[t->arg];
    for (uint32_t i = 0; i < l->len; i++) {
      if (i)
        reg_buf_addc(b, ',');
      if (!write_scalar(b, p, et, l->v[i]))
        reg_write_value(b, p, t->arg, l->v[i]);
    }
    reg_buf_addc(b, ']');
    return;
  }
  case REG_TK_RECORD: {
    if (!v.p) {
      reg_buf_lit(b, "null");
      return;
    }
    reg_buf_addc(b, '{');
    bool first = true;
    reg_write_record_fields(b, p, t->arg, v.p, &first);
    reg_buf_addc(b, '}');
    return;
  }
  default:
    reg_buf_lit(b, "null");
    return;
  }
}

void
reg_write_record_fields(RegBuf *b, const RegProgram *p, uint32_t rec, const RegValue *v,
                        bool *first)
{
  const RegRecord *r = &p->records[rec];
  uint64_t present = r->noptional ? (uint64_t) v[r->nfields].i : 0;
  uint32_t bit = 0;
  for (uint32_t i = 0; i < r->nfields; i++) {
    const RegField *f = &p->fields[r->first_field + i];
    if (f->flags & REG_FIELD_OPTIONAL) {
      bool here = (present >> bit) & 1;
      bit++;
      if (!here)
        continue;
    }
    /* the key after a comma, but for the first */
    uint32_t k = r->first_field + i, skip = *first;
    reg_buf_add16(b, p->json_blob + p->field_json[k] + skip,
                  p->field_json[k + 1] - p->field_json[k] - skip);
    *first = false;
    if (!write_scalar(b, p, &p->types[f->type], v[i]))
      reg_write_value(b, p, f->type, v[i]);
  }
}
