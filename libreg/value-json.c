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
write_scalar(RegBuf *b, const RegProgram *p, uint32_t kind, uint32_t arg, RegValue v)
{
  switch ((RegTypeKind) kind) {
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
    const RegEnum *e = &p->enums[arg];
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

/* A record value: its fields in braces, or null. */
WRITE_INLINE void
write_record(RegBuf *b, const RegProgram *p, uint32_t rec, const RegValue *v)
{
  if (!v) {
    reg_buf_lit(b, "null");
    return;
  }
  reg_buf_addc(b, '{');
  bool first = true;
  reg_write_record_fields(b, p, rec, v, &first);
  reg_buf_addc(b, '}');
}

void
reg_write_value(RegBuf *b, const RegProgram *p, uint32_t type, RegValue v)
{
  const RegType *t = &p->types[type];
  if (write_scalar(b, p, t->kind, t->arg, v))
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
      if (write_scalar(b, p, et->kind, et->arg, l->v[i]))
        continue;
      if (et->kind == REG_TK_RECORD)
        write_record(b, p, et->arg, l->v[i].p);
      else
        reg_write_value(b, p, t->arg, l->v[i]);
    }
    reg_buf_addc(b, ']');
    return;
  }
  case REG_TK_RECORD:
    write_record(b, p, t->arg, v.p);
    return;
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
  const RegWriteField *wf = p->wfields + r->first_field, *end = wf + r->nfields;
  uint64_t present = r->noptional ? (uint64_t) v[r->nfields].i : 0;
  /* the key after a comma, but for the first: from one byte on */
  uint32_t skip = *first;
  for (; wf < end; wf++, v++) {
    if (wf->optional) {
      bool here = present & 1;
      present >>= 1;
      if (!here)
        continue;
    }
    reg_buf_add16(b, p->json_blob + wf->key + skip, wf->keylen - skip);
    skip = 0;
    if (write_scalar(b, p, wf->kind, wf->arg, *v))
      continue;
    if (wf->kind == REG_TK_RECORD)
      write_record(b, p, wf->arg, v->p);
    else
      reg_write_value(b, p, wf->type, *v);
  }
  *first = skip;
}
