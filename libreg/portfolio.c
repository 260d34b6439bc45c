/* portfolio.c: reads a JSON portfolio straight into records of the input schema, skipping the rest. */
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define HAVE_SSE2 1
#endif

#include "bytes-private.h"
#include "date-private.h"
#include "decimal-private.h"
#include "json-private.h"
#include "portfolio-private.h"
#include "vm-private.h"

static inline uint32_t
enum_hash(uint64_t head, uint32_t len)
{
  return (uint32_t) (((head ^ len) * UINT64_C(0x9E3779B97F4A7C15)) >> 57);
}

/* How many fields after the one expected next a key is tried against by pattern, before
 * it is read and looked up the general way */
#define READ_AHEAD_FIELDS 8

/* In a field's want: a bit no comparison of 16 bytes sets, alone when the field has no
 * key pattern, with the 16 below it when the pattern is longer than 16 bytes */
#define KEY_LONG (1u << 16)

void
reg_reader_init(RegReader *r, const RegProgram *p)
{
  memset(r, 0, sizeof *r);
  r->p = p;
  reg_buf_init(&r->err);
  reg_buf_init(&r->detail);
  r->recs = g_new0(RegReaderRecord, p->nrecords ? p->nrecords : 1);
  for (uint32_t i = 0; i < p->nrecords; i++) {
    const RegRecord *rec = &p->records[i];
    RegReaderRecord *rr = &r->recs[i];
    rr->nfields = rec->nfields;
    rr->words = reg_record_words(rec);
    rr->fields = g_new0(RegReaderField, rec->nfields ? rec->nfields : 1);
    for (uint32_t k = 0; k < rec->nfields; k++) {
      const RegField *f = &p->fields[rec->first_field + k];
      const RegText *name = p->strings[f->name];
      RegReaderField *rf = &rr->fields[k];
      rf->name = name->s;
      rf->len = name->len;
      rf->kind = p->types[f->type].kind;
      rf->type = f->type;
      rf->arg = p->types[f->type].arg;
      rf->flags = f->flags;
      rf->f = f;
      memcpy(&rf->head, name->s, name->len < 8 ? name->len : 8);
      if (name->len + 4 <= sizeof rf->pat) {
        rf->pat[0] = '"';
        memcpy(rf->pat + 1, name->s, name->len);
        rf->pat[name->len + 1] = '"';
        rf->pat[name->len + 2] = ':';
        rf->pat[name->len + 3] = ' ';
        rf->patlen = name->len + 3;
      }
      for (uint32_t sp = 0; sp < 2; sp++) {
        uint32_t n = rf->patlen ? rf->patlen + sp : 0;
        rf->want[sp] = n == 0 ? KEY_LONG : n > 16 ? KEY_LONG | 0xffff : (1u << n) - 1;
        rf->want2[sp] = n > 16 ? (1u << (n - 16)) - 1 : 0;
      }
      rf->dflt.i = (f->flags & REG_FIELD_DEFAULT) ? f->deflt : 0;
      if (rf->kind == REG_TK_TEXT)
        rf->dflt.p = (f->flags & REG_FIELD_DEFAULT) ? (const void *) p->strings[f->deflt]
                                                    : (const void *) p->empty_text;
      else if (rf->kind == REG_TK_LIST)
        rf->dflt.p = &reg_empty_list;
      rf->absent = (f->flags & REG_FIELD_REQUIRED) ? 1 : rf->kind == REG_TK_RECORD ? 2 : 0;
    }
    rr->tmpl = g_new0(RegValue, rr->words + 1);
    for (uint32_t k = 0; k < rec->nfields; k++) {
      rr->tmpl[k] = rr->fields[k].dflt;
      if (k < 64 && rr->fields[k].absent == 1)
        rr->required_mask |= (uint64_t) 1 << k;
      if (k < 64 && rr->fields[k].absent == 2)
        rr->build_mask |= (uint64_t) 1 << k;
    }
  }
  r->enums = g_new0(RegReaderEnum, p->nenums ? p->nenums : 1);
  for (uint32_t i = 0; i < p->nenums; i++) {
    const RegEnum *e = &p->enums[i];
    r->enums[i].heads = g_new0(uint64_t, e->nmembers);
    r->enums[i].lens = g_new0(uint32_t, e->nmembers);
    for (uint32_t k = 0; k < e->nmembers; k++) {
      const RegText *m = p->strings[p->enum_members[e->first_member + k]];
      memcpy(&r->enums[i].heads[k], m->s, m->len < 8 ? m->len : 8);
      r->enums[i].lens[k] = m->len;
    }
    memset(r->enums[i].slot, -1, sizeof r->enums[i].slot);
    for (uint32_t k = 0; k < e->nmembers; k++) {
      uint32_t h = enum_hash(r->enums[i].heads[k], r->enums[i].lens[k]);
      while (r->enums[i].slot[h] >= 0)
        h = (h + 1) % REG_READER_ENUM_SLOTS;
      r->enums[i].slot[h] = (int8_t) k;
    }
  }
}

/* Marks @used for every field of record @rec and of the records its fields hold. */
static void
mark_record_used(const RegProgram *p, uint32_t rec, bool *used, bool *seen_rec)
{
  if (seen_rec[rec])
    return;
  seen_rec[rec] = true;
  const RegRecord *r = &p->records[rec];
  for (uint32_t i = 0; i < r->nfields; i++) {
    used[r->first_field + i] = true;
    uint32_t t = p->fields[r->first_field + i].type;
    while (p->types[t].kind == REG_TK_LIST)
      t = p->types[t].arg;
    if (p->types[t].kind == REG_TK_RECORD)
      mark_record_used(p, p->types[t].arg, used, seen_rec);
  }
}

void
reg_reader_mark_unread(RegReader *r, uint32_t view)
{
  const RegProgram *p = r->p;
  bool *used = g_new0(bool, p->nfields + 1), *seen_rec = g_new0(bool, p->nrecords + 1);
  for (uint32_t fi = 0; fi < p->nfuncs; fi++) {
    bool other_view = false;
    for (uint32_t v = 0; v < p->nviews; v++)
      if (v != view && (p->views[v].func == fi || p->plain_of[p->views[v].func] == fi))
        other_view = true;
    if (other_view)
      continue;
    const RegFunction *f = &p->funcs[fi];
    for (uint32_t pc = 0; pc < f->ninsns; pc++) {
      uint64_t w = p->code[f->first_insn + pc];
      unsigned op = REG_INSN_OP(w), reg, field;
      if (op == REG_OP_GETF || op == REG_OP_ADDF) {
        reg = REG_INSN_B(w);
        field = REG_INSN_C(w);
      } else if (op == REG_OP_JFF || op == REG_OP_JTF) {
        reg = REG_INSN_A(w);
        field = REG_INSN_B(w);
      } else {
        continue;
      }
      /* (verified: the register holds a record with that field) */
      const RegType *t = &p->types[p->reg_types[f->first_reg_type + reg]];
      used[p->records[t->arg].first_field + field] = true;
    }
  }
  if (view < p->nviews)
    mark_record_used(p, p->views[view].record, used, seen_rec);
  for (uint32_t i = 0; i < p->nrecords; i++) {
    const RegRecord *rec = &p->records[i];
    for (uint32_t k = 0; k < rec->nfields; k++) {
      RegReaderField *rf = &r->recs[i].fields[k];
      rf->unread = rf->kind == REG_TK_TEXT && !used[rec->first_field + k] &&
                   !(rf->flags & (REG_FIELD_KEY | REG_FIELD_ASOF));
    }
  }
  g_free(used);
  g_free(seen_rec);
}

void
reg_reader_clear(RegReader *r)
{
  if (r->recs) {
    for (uint32_t i = 0; i < r->p->nrecords; i++) {
      g_free(r->recs[i].fields);
      g_free(r->recs[i].tmpl);
    }
    g_free(r->recs);
  }
  if (r->enums) {
    for (uint32_t i = 0; i < r->p->nenums; i++) {
      g_free(r->enums[i].heads);
      g_free(r->enums[i].lens);
    }
    g_free(r->enums);
  }
  reg_buf_clear(&r->err);
  reg_buf_clear(&r->detail);
  g_free(r->stack);
  memset(r, 0, sizeof *r);
}

/* JSON whitespace; compact JSON has none, so test the common case first, then the one
 * space that JSON written with ", " and ": " has (Python's json.dumps, jq). */
static inline const char *
ws(const char *p, const char *end)
{
  if (G_LIKELY(p < end && (unsigned char) *p > ' '))
    return p;
  if (G_LIKELY(end - p >= 2 && *p == ' ' && (unsigned char) p[1] > ' '))
    return p + 1;
  return reg_json_ws(p, end);
}

/* ---- errors ------------------------------------------------------------------- */

static void
append_path(RegReader *r, RegBuf *b)
{
  for (int i = 0; i < r->depth; i++) {
    const RegPathSeg *s = &r->path[i];
    if (s->name) {
      if (b->len)
        reg_buf_addc(b, '.');
      reg_buf_add(b, s->name, s->len);
    } else {
      char num[24];
      int n = g_snprintf(num, sizeof num, "[%u]", s->index);
      reg_buf_add(b, num, (size_t) n);
    }
  }
}

/* Records the first data error of the line: "<path>: <message>". */
static void
data_error(RegReader *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
data_error(RegReader *r, const char *fmt, ...)
{
  if (r->has_error)
    return;
  r->has_error = true;
  r->err.len = 0;
  append_path(r, &r->err);
  if (r->err.len)
    reg_buf_lit(&r->err, ": ");
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  reg_buf_adds(&r->err, msg);
  g_free(msg);
}

/* Malformed input: returns NULL so that every caller stops. */
static const char *
malformed(RegReader *r, const char *at, const char *what)
{
  r->detail.len = 0;
  char buf[96];
  int n = g_snprintf(buf, sizeof buf, "%s at byte %td", what, at - r->start);
  reg_buf_add(&r->detail, buf, (size_t) n);
  return NULL;
}

/* Nesting beyond REG_READER_MAX_DEPTH: perhaps valid JSON, but deeper than a portfolio may be. */
static const char *
too_deep(RegReader *r, const char *at)
{
  r->too_deep = true;
  return malformed(r, at, "nested too deeply");
}

static inline bool
push_name(RegReader *r, const char *name, uint32_t len)
{
  if (r->depth >= REG_READER_MAX_DEPTH)
    return false;
  r->path[r->depth++] = (RegPathSeg){ name, len, 0 };
  return true;
}

static inline bool
push_index(RegReader *r, uint32_t i)
{
  if (r->depth >= REG_READER_MAX_DEPTH)
    return false;
  r->path[r->depth++] = (RegPathSeg){ NULL, 0, i };
  return true;
}

/* Skips a value the schema does not want (or that has the wrong type), validating it. */
static const char *
skip(RegReader *r, const char *p)
{
  const char *q;
  int budget = REG_READER_MAX_DEPTH - r->depth;
  RegJsonStatus st = reg_json_skip(p, r->end, budget < 0 ? 0 : budget, &q);
  if (st == REG_JSON_OK)
    return q;
  if (st == REG_JSON_DEPTH) {
    /* still JSON perhaps, but nested beyond what we read: refuse the line */
    return too_deep(r, q);
  }
  return malformed(r, q, "invalid JSON value");
}

static const char *
wrong_type(RegReader *r, const char *p, const char *expected)
{
  const char *what;
  switch (*p) {
  case '"':
    what = "text";
    break;
  case '{':
    what = "an object";
    break;
  case '[':
    what = "a list";
    break;
  case 't':
  case 'f':
    what = "true/false";
    break;
  case 'n':
    what = "null";
    break;
  default:
    what = "a number";
    break;
  }
  const char *q = skip(r, p);
  if (q)
    data_error(r, "expected %s, got %s", expected, what);
  return q;
}

/* ---- values -------------------------------------------------------------------- */

/* The first 8 bytes of [s, s+n), zero padded, without reading past @end. */
static inline uint64_t
head_word(const char *s, size_t n, const char *end)
{
  uint64_t h = 0;
  if (end - s >= 8) {
    memcpy(&h, s, 8);
    if (n < 8)
      h &= ((uint64_t) 1 << (8 * n)) - 1;
  } else {
    memcpy(&h, s, n < 8 ? n : 8);
  }
  return h;
}

static const char *read_value(RegReader *r, const char *p, uint32_t type, RegValue *out);
static const char *read_list(RegReader *r, const char *p, uint32_t elem, RegValue *out);

/*
 * The common case of a string: printable ASCII without escapes. Returns the
 * closing quote, or NULL when the string needs the full validator.
 */
static inline const char *
plain_string_end(const char *p, const char *end)
{
  const char *q = p + 1;
#ifdef HAVE_SSE2
  const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - q >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *) (const void *) q);
    unsigned qm = (unsigned) _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
    /* signed compare: control bytes and every byte >= 0x80 are below 0x20 */
    unsigned bad = (unsigned) _mm_movemask_epi8(
      _mm_or_si128(_mm_cmpeq_epi8(v, bslash), _mm_cmplt_epi8(v, space)));
    if (qm) {
      unsigned first = (unsigned) __builtin_ctz(qm);
      if (bad & ((1u << first) - 1))
        return NULL;
      return q + first;
    }
    if (bad)
      return NULL;
    q += 16;
  }
#endif
  for (; q < end; q++) {
    unsigned char c = (unsigned char) *q;
    if (c == '"')
      return q;
    if (c == '\\' || c < 0x20 || c >= 0x80)
      return NULL;
  }
  return NULL;
}

static const char *
read_string_raw(RegReader *r, const char *p, const char **raw, size_t *raw_len, bool *esc)
{
  const char *q;
  *raw = p;
  *raw_len = 0;
  *esc = false;
  const char *close = plain_string_end(p, r->end);
  if (close) {
    *raw = p + 1;
    *raw_len = (size_t) (close - p - 1);
    return close + 1;
  }
  if (reg_json_string(p, r->end, &q, esc) != REG_JSON_OK)
    return malformed(r, p, "invalid string");
  *raw = p + 1;
  *raw_len = (size_t) (q - p - 2);
  return q;
}

static const char *
read_text(RegReader *r, const char *p, RegValue *out)
{
  if (*p != '"')
    return wrong_type(r, p, "text");
  const char *raw;
  size_t n;
  bool esc;
  const char *q = read_string_raw(r, p, &raw, &n, &esc);
  if (!q)
    return NULL;
  /* a short text (an id, a code) with 16 bytes of the line from its start and of the
   * arena's chunk from its place: copied as one block of 16, without a call (the bytes past
   * it are the next allocation's) */
  bool block = !esc && n < 16 && r->end - raw >= 16 &&
               reg_arena_room(r->arena) >= sizeof(RegText) + 16;
  RegText *t = reg_arena_alloc(r->arena, sizeof(RegText) + n + 1);
  if (!t) {
    data_error(r, "portfolio too large for the memory limit");
    return q;
  }
  if (block) {
    memcpy(t->s, raw, 16);
    t->len = (uint32_t) n;
  } else {
    t->len = (uint32_t) (esc ? reg_json_unescape(raw, n, t->s) : (memcpy(t->s, raw, n), n));
  }
  t->s[t->len] = '\0';
  out->p = t;
  return q;
}

/* A text no run reads (reg_reader_mark_unread): checked as read_text checks it, not kept. */
static const char *
skip_text(RegReader *r, const char *p)
{
  if (*p != '"')
    return wrong_type(r, p, "text");
  const char *raw;
  size_t n;
  bool esc;
  return read_string_raw(r, p, &raw, &n, &esc);
}

static const char *
read_date(RegReader *r, const char *p, RegValue *out)
{
  /* "YYYY-MM-DD" in plain digits: no need to scan it as a general string */
  if (r->end - p >= 12 && p[0] == '"' && p[11] == '"' && reg_date_parse(p + 1, 10, &out->i))
    return p + 12;
  if (*p != '"')
    return wrong_type(r, p, "a date (YYYY-MM-DD)");
  const char *raw;
  size_t n;
  bool esc;
  const char *q = read_string_raw(r, p, &raw, &n, &esc);
  if (!q)
    return NULL;
  bool ok;
  if (esc) {
    /* "\u0032023-01-01" is the date 2023-01-01 too: escaped, each of its ten characters
     * takes at most six bytes */
    char small[60];
    ok = n <= sizeof small && reg_date_parse(small, reg_json_unescape(raw, n, small), &out->i);
  } else {
    ok = reg_date_parse(raw, n, &out->i);
  }
  if (!ok) {
    data_error(r, "not a date");
    out->i = 0;
  }
  return q;
}

static const char *
read_bool(RegReader *r, const char *p, RegValue *out)
{
  size_t left = (size_t) (r->end - p);
  if (left >= 4 && memcmp(p, "true", 4) == 0) {
    out->i = 1;
    return p + 4;
  }
  if (left >= 5 && memcmp(p, "false", 5) == 0) {
    out->i = 0;
    return p + 5;
  }
  return wrong_type(r, p, "true or false");
}

/*
 * The common case of a number: [-]digits[.digits] with at most 12 integer and
 * 6 fraction digits, no exponent, no leading zero. Returns the end, with the
 * value in millionths and its fraction digits, or NULL for the full path.
 */
static inline const char *
plain_number(const char *p, const char *end, int64_t *out, int *decimals)
{
  const char *q = p;
  bool neg = false;
  if (q < end && *q == '-') {
    neg = true;
    q++;
  }
  const char *d0 = q;
  int64_t v = 0;
  while (q < end && (unsigned) (*q - '0') < 10 && q - d0 < 12)
    v = v * 10 + (*q++ - '0');
  if (q == d0 || (*d0 == '0' && q - d0 > 1))
    return NULL;
  int frac = 0;
  int64_t f = 0;
  if (q < end && *q == '.') {
    q++;
    const char *f0 = q;
    while (q < end && (unsigned) (*q - '0') < 10 && q - f0 < 6)
      f = f * 10 + (*q++ - '0');
    frac = (int) (q - f0);
    if (frac == 0)
      return NULL;
  }
  if (q < end && ((unsigned) (*q - '0') < 10 || *q == 'e' || *q == 'E' || *q == '.'))
    return NULL;
  static const int64_t scale[7] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };
  int64_t val = v * 1000000 + f * scale[frac];
  *out = neg ? -val : val;
  *decimals = frac; /* digits written: trailing zeros are counted by the slow path */
  return q;
}

static const char *
read_number(RegReader *r, const char *p, const RegField *f, uint32_t type, RegValue *out)
{
  if (*p != '-' && (*p < '0' || *p > '9'))
    return wrong_type(r, p, "a number");
  {
    int64_t v;
    int decimals;
    const char *q = plain_number(p, r->end, &v, &decimals);
    if (q) {
      if (type == REG_TYPE_INT) {
        if (decimals > 0)
          goto slow;
        v /= REG_DEC_SCALE;
      } else if (f && (f->flags & REG_FIELD_MAXDEC) && (uint32_t) decimals > f->maxdec) {
        goto slow;
      }
      if (f && (f->flags & REG_FIELD_MIN) && v < f->min)
        goto slow;
      out->i = v;
      return q;
    }
  }
slow:;
  const char *q;
  if (reg_json_number(p, r->end, &q) != REG_JSON_OK)
    return malformed(r, p, "invalid number");
  int64_t v;
  int decimals = 0;
  RegDecStatus st = reg_dec_parse(p, (size_t) (q - p), &v, &decimals);
  out->i = 0;
  if (st == REG_DEC_OVERFLOW) {
    data_error(r, "number out of range");
    return q;
  }
  if (st == REG_DEC_TOO_PRECISE) {
    if (f && (f->flags & REG_FIELD_MAXDEC))
      data_error(r, "more than %u decimal%s", f->maxdec, f->maxdec == 1 ? "" : "s");
    else
      data_error(r, "more than %d decimals", REG_DEC_DIGITS);
    return q;
  }
  if (st != REG_DEC_OK)
    return malformed(r, p, "invalid number");
  if (type == REG_TYPE_INT) {
    if (decimals > 0) {
      data_error(r, "not a whole number");
      return q;
    }
    v /= REG_DEC_SCALE;
  } else if (f && (f->flags & REG_FIELD_MAXDEC) && (uint32_t) decimals > f->maxdec) {
    data_error(r, "more than %u decimal%s", f->maxdec, f->maxdec == 1 ? "" : "s");
    return q;
  }
  if (f && (f->flags & REG_FIELD_MIN) && v < f->min) {
    if (f->min == 0)
      data_error(r, "negative");
    else {
      char buf[REG_DEC_FORMAT_MAX + 1];
      if (type == REG_TYPE_INT)
        reg_int_format(f->min, buf);
      else
        reg_dec_format(f->min, buf);
      data_error(r, "less than %s", buf);
    }
    return q;
  }
  out->i = v;
  return q;
}

static const char *
read_enum(RegReader *r, const char *p, uint32_t enum_index, RegValue *out)
{
  const RegProgram *pg = r->p;
  const RegEnum *e = &pg->enums[enum_index];
  if (*p != '"')
    return wrong_type(r, p, "text");
  const char *raw;
  size_t n;
  bool esc;
  const char *q = read_string_raw(r, p, &raw, &n, &esc);
  if (!q)
    return NULL;
  /* Unescape the whole value: escapes make the raw text longer than the value, so a
   * value cut to fit a small buffer could come out equal to a shorter member. */
  char small[64];
  char *heap = NULL;
  if (esc) {
    char *dst = n <= sizeof small ? small : (heap = g_malloc(n));
    n = reg_json_unescape(raw, n, dst);
    raw = dst;
  }
  const RegReaderEnum *re = &r->enums[enum_index];
  uint64_t h = head_word(raw, n, esc ? raw + n : r->end);
  for (uint32_t s = enum_hash(h, (uint32_t) n); re->slot[s] >= 0; s = (s + 1) % REG_READER_ENUM_SLOTS) {
    uint32_t i = (uint32_t) re->slot[s];
    if (re->heads[i] == h && re->lens[i] == n) {
      const RegText *m = pg->strings[pg->enum_members[e->first_member + i]];
      if (n <= 8 || reg_bytes_eq(m->s, raw, n)) {
        if (G_UNLIKELY(heap != NULL))
          g_free(heap);
        out->i = i;
        return q;
      }
    }
  }
  out->i = -1;
  if (!e->open) {
    GString *list = g_string_new(NULL);
    for (uint32_t i = 0; i < e->nmembers; i++)
      g_string_append_printf(list, "%s%s", i ? ", " : "",
                             pg->strings[pg->enum_members[e->first_member + i]]->s);
    /* show the value, cut at a character boundary */
    size_t show = n > 40 ? 40 : n;
    while (show > 0 && show < n && ((unsigned char) raw[show] & 0xc0) == 0x80)
      show--;
    data_error(r, "\"%.*s\" is not one of %s", (int) show, raw, list->str);
    g_string_free(list, TRUE);
    out->i = 0;
  }
  g_free(heap);
  return q;
}

/* A record built from defaults alone (an absent, optional nested record). */
static bool
default_record(RegReader *r, uint32_t rec, RegValue *out, int level)
{
  const RegProgram *pg = r->p;
  const RegRecord *rr = &pg->records[rec];
  RegValue *v = reg_arena_alloc(r->arena, (reg_record_words(rr) + 1) * sizeof(RegValue));
  if (!v || level > 32)
    return false;
  for (uint32_t i = 0; i < rr->nfields; i++) {
    const RegField *f = &pg->fields[rr->first_field + i];
    const RegType *t = &pg->types[f->type];
    if (f->flags & REG_FIELD_DEFAULT)
      v[i].i = f->deflt;
    else
      v[i].i = 0;
    if (t->kind == REG_TK_TEXT)
      v[i].p = (f->flags & REG_FIELD_DEFAULT) ? pg->strings[f->deflt] : pg->empty_text;
    else if (t->kind == REG_TK_LIST)
      v[i].p = &reg_empty_list;
    else if (t->kind == REG_TK_RECORD && !default_record(r, t->arg, &v[i], level + 1))
      return false;
  }
  out->p = v;
  return true;
}

/* Whether the text at p, with at least 16 bytes left, starts with the field's key as
 * compact JSON writes it, "name":, followed by @space spaces (0 or 1) */
static inline bool
key_at(const char *p, const char *end, const RegReaderField *rf, uint32_t space)
{
  uint32_t want = rf->want[space];
#ifdef HAVE_SSE2
  __m128i text = _mm_loadu_si128((const __m128i *) (const void *) p);
  __m128i pat = _mm_loadu_si128((const __m128i *) (const void *) rf->pat);
  unsigned m = (unsigned) _mm_movemask_epi8(_mm_cmpeq_epi8(text, pat));
  if (G_LIKELY((m & want) == want))
    return true;
  /* a longer pattern: its first 16 bytes, then the rest */
  if (want != (KEY_LONG | 0xffff) || (m & 0xffff) != 0xffff || end - p < 32)
    return false;
  uint32_t want2 = rf->want2[space];
  text = _mm_loadu_si128((const __m128i *) (const void *) (p + 16));
  pat = _mm_loadu_si128((const __m128i *) (const void *) (rf->pat + 16));
  m = (unsigned) _mm_movemask_epi8(_mm_cmpeq_epi8(text, pat));
  return (m & want2) == want2;
#else
  uint32_t n = rf->patlen + space;
  return want != KEY_LONG && end - p >= (ptrdiff_t) n && memcmp(p, rf->pat, n) == 0;
#endif
}

/* The value after a key matched by key_at (@n bytes at @p): it starts right there, unless
 * the text has other spacing than the pattern tried, which is then learnt. */
static inline const char *
after_key(RegReader *r, const char *p, uint32_t n, uint32_t *space)
{
  const char *v = p + n;
  if (G_LIKELY(v < r->end && (unsigned char) *v > ' '))
    return v;
  if (v < r->end && *v == ' ')
    *space = r->key_space = 1;
  return ws(v, r->end);
}

/* The field among the few after @guess whose key is at p (see READ_AHEAD_FIELDS), which
 * becomes the one tried instead of @guess next time; or UINT32_MAX. A function of its own:
 * inlined, it made GCC lay out read_record's hot path worse (+1.1 % instructions for R1,
 * which never gets here). */
static G_GNUC_NO_INLINE uint32_t
key_ahead(const char *p, const char *end, RegReaderField *rfs, uint32_t guess, uint32_t nf,
          uint32_t space)
{
  uint32_t last = guess + READ_AHEAD_FIELDS < nf ? guess + READ_AHEAD_FIELDS : nf;
  for (uint32_t i = guess + 1; i < last; i++) {
    if (key_at(p, end, &rfs[i], space)) {
      rfs[guess].instead = i + 1;
      return i;
    }
  }
  return UINT32_MAX;
}

static const char *
read_record(RegReader *r, const char *p, uint32_t rec, RegValue *out)
{
  const RegProgram *pg = r->p;
  if (*p != '{')
    return wrong_type(r, p, "an object");
  const RegReaderRecord *rr = &r->recs[rec];
  const RegReaderField *rfs = rr->fields;
  const uint32_t nf = rr->nfields;
  const char *const end = r->end;
  RegValue *v = reg_arena_alloc(r->arena, (rr->words + 1) * sizeof(RegValue));
  if (!v) {
    data_error(r, "portfolio too large for the memory limit");
    return skip(r, p);
  }
  memcpy(v, rr->tmpl, rr->words * sizeof(RegValue));
  uint64_t seen[64];
  memset(seen, 0, ((nf + 63) / 64) * sizeof(uint64_t));
  uint32_t guess = 0, space = r->key_space;
  RegReaderRecord *rrw = &r->recs[rec];
  p = ws(p + 1, end);
  if (p < end && *p == '}') {
    p++;
  } else {
    for (;;) {
      uint32_t idx = UINT32_MAX;
      /* The common case: the key the schema expects next, written "name": ; or, when
       * that key was absent before, the key that came instead then (an optional field
       * left out, or keys in another order than the schema's). Each way of matching has
       * its own exit to have_key: one shared exit (an else-if chain setting idx) made GCC
       * lay the loop out worse, +0.6 % instructions for the shipped criteria, +0.7 % R1. */
      if (end - p >= 16) {
        const RegReaderField *gf = &rfs[guess];
        if (key_at(p, end, gf, space)) {
          idx = guess;
          p = after_key(r, p, gf->patlen + space, &space);
          if (p >= end)
            return malformed(r, p, "expected a value");
          goto have_key;
        }
        /* (a second test of its own: one `||` with the first made GCC lay out the hot
         * path worse, +0.8 % instructions for R1) */
        if (gf->instead && key_at(p, end, &rfs[gf->instead - 1], space)) {
          idx = gf->instead - 1;
          p = after_key(r, p, rfs[idx].patlen + space, &space);
          if (p >= end)
            return malformed(r, p, "expected a value");
          goto have_key;
        }
        /* a key seen before that the schema does not know: skip its value */
        for (uint32_t k = 0; k < REG_READER_SKIP_CACHE; k++) {
          uint32_t len = rrw->skip_len[k];
          if (len && memcmp(p, rrw->skip_pat[k], len) == 0) {
            p = ws(p + len, end);
            if (p >= end)
              return malformed(r, p, "expected a value");
            goto have_key;
          }
        }
        /* optional fields left out of a record written in the schema's order: the key is
         * one of the next few fields' (before the general search below) */
        uint32_t i = key_ahead(p, end, rr->fields, guess, nf, space);
        if (i != UINT32_MAX) {
          idx = i;
          p = after_key(r, p, rfs[i].patlen + space, &space);
          if (p >= end)
            return malformed(r, p, "expected a value");
          goto have_key;
        }
      }
      p = ws(p, end); /* (a separator's space was skipped, not more) */
      if (p >= end || *p != '"')
        return malformed(r, p, "expected a key");
      const char *key = p + 1, *q;
      size_t klen;
      bool esc = false;
      const char *close = plain_string_end(p, end);
      if (G_LIKELY(close != NULL)) {
        klen = (size_t) (close - key);
        q = close + 1;
      } else {
        q = read_string_raw(r, p, &key, &klen, &esc);
        if (!q)
          return NULL;
      }
      if (G_LIKELY(q < end && *q == ':')) {
        p = q + 1;
      } else {
        p = ws(q, end);
        if (p >= end || *p != ':')
          return malformed(r, p, "expected ':'");
        p++;
      }
      space = r->key_space = p < end && *p == ' ';
      p = ws(p, end);
      if (p >= end)
        return malformed(r, p, "expected a value");

      /* An escaped key is compared unescaped, whole: a field name may be longer than
       * kbuf, and a key cut to fit could match the wrong field or compare past kbuf. */
      char kbuf[128];
      char *kheap = NULL;
      if (esc) {
        char *dst = klen <= sizeof kbuf ? kbuf : (kheap = g_malloc(klen));
        klen = reg_json_unescape(key, klen, dst);
        key = dst;
      }

      /* JSON keys usually come in schema order: try the next field first.
       * The key's first 8 bytes, zero padded, are compared as one word. */
      uint64_t head = head_word(key, klen, esc ? key + klen : end);
      for (uint32_t k = 0; k < nf; k++) {
        uint32_t i = guess + k < nf ? guess + k : guess + k - nf;
        const RegReaderField *rf = &rfs[i];
        if (rf->head == head && rf->len == klen &&
            (klen <= 8 || reg_bytes_eq(rf->name, key, klen))) {
          idx = i;
          break;
        }
      }
      if (G_UNLIKELY(kheap != NULL))
        g_free(kheap);
      if (idx != UINT32_MAX)
        rrw->fields[guess].instead = idx + 1;
      if (idx == UINT32_MAX && !esc && klen + 3 <= 16 && q < end && *q == ':') {
        /* remember "key": of an unknown field, written plainly, for the next record */
        uint32_t slot = rrw->skip_next++ % REG_READER_SKIP_CACHE;
        memcpy(rrw->skip_pat[slot], key - 1, klen + 3);
        rrw->skip_len[slot] = (uint32_t) klen + 3;
      }
    have_key:
      if (idx == UINT32_MAX) {
        /* unknown fields are ignored; their values nest as deep as a known field's may */
        r->depth++;
        p = skip(r, p);
        r->depth--;
      } else {
        guess = idx + 1 < nf ? idx + 1 : 0;
        const RegReaderField *rf = &rfs[idx];
        if (!push_name(r, rf->name, rf->len))
          return too_deep(r, p);
        if (seen[idx / 64] & ((uint64_t) 1 << (idx % 64))) {
          data_error(r, "duplicate key");
          p = skip(r, p);
        } else {
          seen[idx / 64] |= (uint64_t) 1 << (idx % 64);
          RegValue *slot = &v[idx];
          slot->p = NULL;
          switch (rf->kind) {
          case REG_TK_BOOL:
            p = read_bool(r, p, slot);
            break;
          case REG_TK_INT:
          case REG_TK_DEC:
            p = read_number(r, p, rf->f, rf->type, slot);
            break;
          case REG_TK_TEXT:
            if (rf->unread && r->skip_unread) {
              p = skip_text(r, p);
              slot->p = pg->empty_text;
              break;
            }
            p = read_text(r, p, slot);
            if (p && (rf->flags & REG_FIELD_KEY) && slot->p)
              r->key = slot->p;
            break;
          case REG_TK_DATE:
            p = read_date(r, p, slot);
            if (p && (rf->flags & REG_FIELD_ASOF) && !r->has_error) {
              r->asof = slot->i;
              r->asof_set = true;
            }
            break;
          case REG_TK_ENUM:
            p = read_enum(r, p, rf->arg, slot);
            break;
          case REG_TK_LIST:
            p = read_list(r, p, rf->arg, slot);
            break;
          case REG_TK_RECORD:
            p = read_record(r, p, rf->arg, slot);
            break;
          default:
            p = read_value(r, p, rf->type, slot);
            break;
          }
        }
        r->depth--;
      }
      if (!p)
        return NULL;
      if (G_UNLIKELY(p >= end || (*p != ',' && *p != '}')))
        p = ws(p, end);
      if (p < end && *p == ',') {
        /* the next key's test needs its '"' there: a space as ", " writes it is skipped
         * here, and any other whitespace where keys are read the slow way */
        p++;
        if (space && p < end && *p == ' ')
          p++;
        continue;
      }
      if (p < end && *p == '}') {
        p++;
        break;
      }
      return malformed(r, p, "expected ',' or '}'");
    }
  }
  /* fields not given have their defaults from the template; required ones are errors,
   * and absent nested records are built */
  if (nf <= 64 && ((seen[0] & rr->required_mask) == rr->required_mask) &&
      (~seen[0] & rr->build_mask) == 0) {
    out->p = v;
    return p;
  }
  for (uint32_t i = 0; i < nf; i++) {
    if (seen[i / 64] & ((uint64_t) 1 << (i % 64)))
      continue;
    const RegReaderField *rf = &rfs[i];
    if (rf->absent == 0)
      continue;
    if (rf->absent == 1 && !r->has_error && push_name(r, rf->name, rf->len)) {
      data_error(r, "missing");
      r->depth--;
    }
    if (rf->kind == REG_TK_RECORD && !default_record(r, rf->arg, &v[i], 0))
      data_error(r, "portfolio too large for the memory limit");
  }
  (void) pg;
  out->p = v;
  return p;
}

/*
 * Makes room for more list elements under construction. They live outside
 * the arena until their list is complete, so they are held to the same
 * memory limit: a line of a million numbers must not take more than it.
 */
static bool
grow_stack(RegReader *r)
{
  size_t max = r->arena->limit / sizeof(RegValue);
  if (r->scap >= max)
    return false;
  size_t cap = r->scap ? r->scap * 2 : 256;
  r->scap = cap < max ? cap : max;
  r->stack = g_renew(RegValue, r->stack, r->scap);
  return true;
}

static const char *
read_list(RegReader *r, const char *p, uint32_t elem, RegValue *out)
{
  if (*p != '[')
    return wrong_type(r, p, "a list");
  size_t base = r->sp;
  p = ws(p + 1, r->end);
  uint32_t kind = r->p->types[elem].kind;
  if (p < r->end && *p == ']') {
    out->p = &reg_empty_list;
    return p + 1;
  }
  for (uint32_t i = 0;; i++) {
    if (p >= r->end)
      return malformed(r, p, "unterminated list");
    if (!push_index(r, i))
      return too_deep(r, p);
    RegValue v = { 0 };
    if (kind == REG_TK_INT || kind == REG_TK_DEC)
      p = read_number(r, p, NULL, elem, &v);
    else
      p = read_value(r, p, elem, &v);
    r->depth--;
    if (!p)
      return NULL;
    if (G_LIKELY(r->sp < r->scap) || grow_stack(r))
      r->stack[r->sp++] = v;
    else /* read on to the end of the list for the error line, keeping no more */
      data_error(r, "portfolio too large for the memory limit");
    p = ws(p, r->end);
    if (p < r->end && *p == ',') {
      p = ws(p + 1, r->end);
      continue;
    }
    if (p < r->end && *p == ']') {
      p++;
      break;
    }
    return malformed(r, p, "expected ',' or ']'");
  }
  size_t n = r->sp - base;
  RegList *l = reg_arena_alloc(r->arena, sizeof(RegList) + n * sizeof(RegValue));
  if (!l || n > UINT32_MAX) {
    data_error(r, "portfolio too large for the memory limit");
    out->p = &reg_empty_list;
  } else {
    l->len = l->cap = (uint32_t) n;
    memcpy(l->v, r->stack + base, n * sizeof(RegValue));
    out->p = l;
  }
  r->sp = base;
  return p;
}

static const char *
read_value(RegReader *r, const char *p, uint32_t type, RegValue *out)
{
  const RegType *t = &r->p->types[type];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_BOOL:
    return read_bool(r, p, out);
  case REG_TK_INT:
  case REG_TK_DEC:
    return read_number(r, p, NULL, type, out);
  case REG_TK_TEXT:
    return read_text(r, p, out);
  case REG_TK_DATE:
    return read_date(r, p, out);
  case REG_TK_ENUM:
    return read_enum(r, p, t->arg, out);
  case REG_TK_LIST:
    return read_list(r, p, t->arg, out);
  case REG_TK_RECORD:
    return read_record(r, p, t->arg, out);
  case REG_TK_DUR:
  default: {
    const char *q = skip(r, p);
    if (q)
      data_error(r, "this kind of value cannot be read from a portfolio");
    return q;
  }
  }
}

RegReadStatus
reg_reader_read(RegReader *r, RegArena *arena, const char *line, size_t len, RegValue *out)
{
  r->arena = arena;
  r->start = line;
  r->end = line + len;
  r->depth = 0;
  r->too_deep = false;
  r->has_error = false;
  r->err.len = 0;
  r->detail.len = 0;
  r->key = NULL;
  r->asof_set = false;
  r->sp = 0;

  const char *p = ws(line, r->end);
  if (p >= r->end) {
    malformed(r, p, "empty line");
    goto bad;
  }
  p = read_value(r, p, r->p->input_type, out);
  if (!p)
    goto bad;
  p = ws(p, r->end);
  if (p != r->end) {
    malformed(r, p, "text after the JSON value");
    goto bad;
  }
  return r->has_error ? REG_READ_DATA : REG_READ_OK;

bad:
  r->err.len = 0;
  if (r->too_deep)
    reg_buf_lit(&r->err,
                "JSON nested more than " G_STRINGIFY(REG_READER_MAX_DEPTH) " levels deep");
  else
    reg_buf_lit(&r->err, "malformed JSON");
  r->has_error = true;
  return REG_READ_MALFORMED;
}
