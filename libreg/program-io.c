/* program-io.c: the compiled-criteria file format: writing it, reading it back, and the program's lifecycle. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "builder-private.h"
#include "file-private.h"

/*
 * File layout (all integers little-endian):
 *
 *   0   magic "LREGBC\r\n" (8 bytes; the CR LF catches text-mode mangling)
 *   8   u32 format version (REG_FILE_VERSION)
 *   12  u32 section count n (<= REG_FILE_MAX_SECTIONS)
 *   16  n x { u32 id, u32 offset, u32 size }   section directory
 *   ..  section payloads
 *
 * Each section is an array of fixed-size records (u32 or i64 fields, packed);
 * STRINGS is { u32 count, count x u32 length, bytes }. There is no checksum:
 * the reader checks every size and the verifier (verify.c) every reference.
 * Every section is required except PLAIN (one u32 per function: the function
 * untraced runs use in its place), which files written before it lack.
 */

static void
put_u32(GByteArray *out, uint32_t v)
{
  guint8 b[4] = { (guint8) v, (guint8) (v >> 8), (guint8) (v >> 16), (guint8) (v >> 24) };
  g_byte_array_append(out, b, 4);
}

static void
put_i64(GByteArray *out, int64_t v)
{
  put_u32(out, (uint32_t) ((uint64_t) v & 0xffffffffu));
  put_u32(out, (uint32_t) ((uint64_t) v >> 32));
}

static uint32_t
get_u32(const guint8 *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static int64_t
get_i64(const guint8 *p)
{
  return (int64_t) ((uint64_t) get_u32(p) | (uint64_t) get_u32(p + 4) << 32);
}

/* Record sizes per section, in bytes (0: variable). */
static uint32_t
section_record_size(uint32_t id)
{
  switch (id) {
  case REG_SEC_META:
    return 16;
  case REG_SEC_TYPES:
    return 8;
  case REG_SEC_ENUMS:
    return 16;
  case REG_SEC_ENUM_MEMBERS:
    return 8;
  case REG_SEC_RECORDS:
    return 16;
  case REG_SEC_FIELDS:
    return 32;
  case REG_SEC_CONSTS:
    return 8;
  case REG_SEC_FUNCS:
    return 32;
  case REG_SEC_REG_TYPES:
    return 4;
  case REG_SEC_CODE:
    return 8;
  case REG_SEC_INSN_LOCS:
    return 4;
  case REG_SEC_LOCS:
    return 12;
  case REG_SEC_RULES:
    return 40;
  case REG_SEC_GLOBALS:
    return 4;
  case REG_SEC_VIEWS:
    return 12;
  case REG_SEC_CHECKS:
    return 8;
  case REG_SEC_CONDS:
    return 28;
  case REG_SEC_PLAIN:
    return 4;
  default:
    return 0;
  }
}

static void
write_section(const RegBuilder *b, uint32_t id, GByteArray *out)
{
  switch (id) {
  case REG_SEC_META:
    put_u32(out, b->name);
    put_u32(out, b->version);
    put_u32(out, b->input_record);
    put_u32(out, b->default_view);
    break;
  case REG_SEC_STRINGS: {
    put_u32(out, b->str_lens->len);
    for (guint i = 0; i < b->str_lens->len; i++)
      put_u32(out, g_array_index(b->str_lens, uint32_t, i));
    g_byte_array_append(out, b->str_bytes->data, b->str_bytes->len);
    break;
  }
  case REG_SEC_TYPES:
    for (guint i = 0; i < b->types->len; i++) {
      RegType *t = &g_array_index(b->types, RegType, i);
      put_u32(out, t->kind);
      put_u32(out, t->arg);
    }
    break;
  case REG_SEC_ENUMS:
    for (guint i = 0; i < b->enums->len; i++) {
      RegEnum *e = &g_array_index(b->enums, RegEnum, i);
      put_u32(out, e->name);
      put_u32(out, e->first_member);
      put_u32(out, e->nmembers);
      put_u32(out, e->open);
    }
    break;
  case REG_SEC_ENUM_MEMBERS:
    for (guint i = 0; i < b->enum_members->len; i++) {
      put_u32(out, g_array_index(b->enum_members, uint32_t, i));
      put_u32(out, i < b->enum_labels->len ? g_array_index(b->enum_labels, uint32_t, i) : REG_NONE);
    }
    break;
  case REG_SEC_RECORDS:
    for (guint i = 0; i < b->records->len; i++) {
      RegRecord *r = &g_array_index(b->records, RegRecord, i);
      put_u32(out, r->name);
      put_u32(out, r->first_field);
      put_u32(out, r->nfields);
      put_u32(out, r->noptional);
    }
    break;
  case REG_SEC_FIELDS:
    for (guint i = 0; i < b->fields->len; i++) {
      RegField *f = &g_array_index(b->fields, RegField, i);
      put_u32(out, f->name);
      put_u32(out, f->type);
      put_u32(out, f->flags);
      put_u32(out, f->maxdec);
      put_i64(out, f->deflt);
      put_i64(out, f->min);
    }
    break;
  case REG_SEC_CONSTS:
    for (guint i = 0; i < b->consts->len; i++)
      put_i64(out, g_array_index(b->consts, int64_t, i));
    break;
  case REG_SEC_FUNCS:
    for (guint i = 0; i < b->funcs->len; i++) {
      RegFunction *f = &g_array_index(b->funcs, RegFunction, i);
      put_u32(out, f->name);
      put_u32(out, f->rule);
      put_u32(out, f->nparams);
      put_u32(out, f->nregs);
      put_u32(out, f->ret_type);
      put_u32(out, f->first_reg_type);
      put_u32(out, f->first_insn);
      put_u32(out, f->ninsns);
    }
    break;
  case REG_SEC_REG_TYPES:
    for (guint i = 0; i < b->reg_types->len; i++)
      put_u32(out, g_array_index(b->reg_types, uint32_t, i));
    break;
  case REG_SEC_CODE:
    for (guint i = 0; i < b->code->len; i++) {
      uint64_t w = g_array_index(b->code, uint64_t, i);
      put_i64(out, (int64_t) w);
    }
    break;
  case REG_SEC_INSN_LOCS:
    for (guint i = 0; i < b->insn_locs->len; i++)
      put_u32(out, g_array_index(b->insn_locs, uint32_t, i));
    break;
  case REG_SEC_LOCS:
    for (guint i = 0; i < b->locs->len; i++) {
      RegLoc *l = &g_array_index(b->locs, RegLoc, i);
      put_u32(out, l->file);
      put_u32(out, l->line);
      put_u32(out, l->col);
    }
    break;
  case REG_SEC_RULES:
    for (guint i = 0; i < b->rules->len; i++) {
      RegRuleInfo *r = &g_array_index(b->rules, RegRuleInfo, i);
      put_u32(out, r->name);
      put_u32(out, r->kind);
      put_u32(out, r->func);
      put_u32(out, r->loc);
      put_u32(out, r->basis);
      put_u32(out, r->explain);
      put_u32(out, r->has_from);
      put_u32(out, r->params);
      put_i64(out, r->from);
    }
    break;
  case REG_SEC_GLOBALS:
    for (guint i = 0; i < b->globals->len; i++)
      put_u32(out, g_array_index(b->globals, RegGlobal, i).func);
    break;
  case REG_SEC_VIEWS:
    for (guint i = 0; i < b->views->len; i++) {
      RegView *v = &g_array_index(b->views, RegView, i);
      put_u32(out, v->name);
      put_u32(out, v->record);
      put_u32(out, v->func);
    }
    break;
  case REG_SEC_CHECKS:
    for (guint i = 0; i < b->checks->len; i++) {
      RegCheck *c = &g_array_index(b->checks, RegCheck, i);
      put_u32(out, c->func);
      put_u32(out, c->message);
    }
    break;
  case REG_SEC_CONDS:
    for (guint i = 0; i < b->conds->len; i++) {
      RegCond *c = &g_array_index(b->conds, RegCond, i);
      put_u32(out, c->func);
      put_u32(out, c->pc);
      put_u32(out, c->label);
      put_u32(out, c->rule);
      put_u32(out, c->cmp);
      put_u32(out, c->lhs);
      put_u32(out, c->rhs);
    }
    break;
  case REG_SEC_PLAIN:
    for (guint i = 0; i < b->funcs->len; i++)
      put_u32(out, i < b->plain_of->len ? g_array_index(b->plain_of, uint32_t, i) : i);
    break;
  default:
    break;
  }
}

GBytes *
reg_builder_serialize(const RegBuilder *b)
{
  const uint32_t nsec = REG_SEC__LAST;
  GByteArray *out = g_byte_array_new();
  g_byte_array_append(out, (const guint8 *) REG_FILE_MAGIC, REG_FILE_MAGIC_LEN);
  put_u32(out, REG_FILE_VERSION);
  put_u32(out, nsec);
  guint dir = out->len;
  for (uint32_t i = 0; i < nsec * 3; i++)
    put_u32(out, 0);
  for (uint32_t id = 1; id <= nsec; id++) {
    guint start = out->len;
    write_section(b, id, out);
    guint8 *e = out->data + dir + (id - 1) * 12;
    uint32_t vals[3] = { id, start, out->len - start };
    for (int k = 0; k < 3; k++) {
      e[k * 4 + 0] = (guint8) vals[k];
      e[k * 4 + 1] = (guint8) (vals[k] >> 8);
      e[k * 4 + 2] = (guint8) (vals[k] >> 16);
      e[k * 4 + 3] = (guint8) (vals[k] >> 24);
    }
  }
  return g_byte_array_free_to_bytes(out);
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
  const guint8 *data;
  uint32_t size;
  uint32_t count; /* records */
} Sec;

static gboolean
fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, REG_LOAD_ERROR, REG_LOAD_ERROR_FORMAT, "not a valid compiled criteria file: %s",
              msg);
  g_free(msg);
  return FALSE;
}

/* Copies a table of fixed-size records into a freshly allocated array of @n u32 words each. */
static uint32_t *
read_u32_table(const Sec *s, uint32_t words)
{
  uint32_t n = s->count * words;
  uint32_t *t = g_new0(uint32_t, n ? n : 1);
  for (uint32_t i = 0; i < n; i++)
    t[i] = get_u32(s->data + (size_t) i * 4);
  return t;
}

static gboolean
load_strings(RegProgram *p, const Sec *s, GError **error)
{
  if (s->size < 4)
    return fail(error, "string table truncated");
  uint32_t n = get_u32(s->data);
  if (n > (s->size - 4) / 4)
    return fail(error, "string table count %u too large", n);
  const guint8 *lens = s->data + 4;
  const guint8 *bytes = lens + (size_t) n * 4;
  size_t avail = s->size - 4 - (size_t) n * 4, used = 0, blob = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = get_u32(lens + (size_t) i * 4);
    if (l > avail - used)
      return fail(error, "string %u runs past its table", i);
    used += l;
    blob += (sizeof(RegText) + l + 1 + 7) & ~(size_t) 7;
  }
  if (used != avail)
    return fail(error, "string table has %zu stray bytes", avail - used);
  p->nstrings = n;
  p->strings = g_new0(const RegText *, n ? n : 1);
  p->text_blob = g_malloc0(blob ? blob : 1);
  size_t off = 0, pos = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t l = get_u32(lens + (size_t) i * 4);
    RegText *t = (RegText *) (void *) (p->text_blob + pos);
    t->len = l;
    memcpy(t->s, bytes + off, l);
    t->s[l] = '\0';
    p->strings[i] = t;
    off += l;
    pos += (sizeof(RegText) + l + 1 + 7) & ~(size_t) 7;
  }
  return TRUE;
}

static gboolean
load_tables(RegProgram *p, const Sec *sec, GError **error)
{
  uint32_t *t;
  if (sec[REG_SEC_META].count != 1)
    return fail(error, "meta section must hold one record");
  t = read_u32_table(&sec[REG_SEC_META], 4);
  p->name = t[0];
  p->version = t[1];
  p->input_record = t[2];
  p->default_view = t[3];
  g_free(t);

  if (!load_strings(p, &sec[REG_SEC_STRINGS], error))
    return FALSE;

  p->ntypes = sec[REG_SEC_TYPES].count;
  t = read_u32_table(&sec[REG_SEC_TYPES], 2);
  p->types = g_new0(RegType, p->ntypes ? p->ntypes : 1);
  for (uint32_t i = 0; i < p->ntypes; i++)
    p->types[i] = (RegType){ t[2 * i], t[2 * i + 1] };
  g_free(t);

  p->nenums = sec[REG_SEC_ENUMS].count;
  t = read_u32_table(&sec[REG_SEC_ENUMS], 4);
  p->enums = g_new0(RegEnum, p->nenums ? p->nenums : 1);
  for (uint32_t i = 0; i < p->nenums; i++)
    p->enums[i] = (RegEnum){ t[4 * i], t[4 * i + 1], t[4 * i + 2], t[4 * i + 3] };
  g_free(t);

  p->nenum_members = sec[REG_SEC_ENUM_MEMBERS].count;
  t = read_u32_table(&sec[REG_SEC_ENUM_MEMBERS], 2);
  p->enum_members = g_new0(uint32_t, p->nenum_members ? p->nenum_members : 1);
  p->enum_labels = g_new0(uint32_t, p->nenum_members ? p->nenum_members : 1);
  for (uint32_t i = 0; i < p->nenum_members; i++) {
    p->enum_members[i] = t[2 * i];
    p->enum_labels[i] = t[2 * i + 1];
  }
  g_free(t);

  p->nrecords = sec[REG_SEC_RECORDS].count;
  t = read_u32_table(&sec[REG_SEC_RECORDS], 4);
  p->records = g_new0(RegRecord, p->nrecords ? p->nrecords : 1);
  for (uint32_t i = 0; i < p->nrecords; i++)
    p->records[i] = (RegRecord){ t[4 * i], t[4 * i + 1], t[4 * i + 2], t[4 * i + 3] };
  g_free(t);

  const Sec *fs = &sec[REG_SEC_FIELDS];
  p->nfields = fs->count;
  p->fields = g_new0(RegField, p->nfields ? p->nfields : 1);
  for (uint32_t i = 0; i < p->nfields; i++) {
    const guint8 *r = fs->data + (size_t) i * 32;
    p->fields[i] = (RegField){ get_u32(r), get_u32(r + 4), get_u32(r + 8), get_u32(r + 12),
                               get_i64(r + 16), get_i64(r + 24) };
  }

  const Sec *cs = &sec[REG_SEC_CONSTS];
  p->nconsts = cs->count;
  p->consts = g_new0(int64_t, p->nconsts ? p->nconsts : 1);
  for (uint32_t i = 0; i < p->nconsts; i++)
    p->consts[i] = get_i64(cs->data + (size_t) i * 8);

  p->nfuncs = sec[REG_SEC_FUNCS].count;
  t = read_u32_table(&sec[REG_SEC_FUNCS], 8);
  p->funcs = g_new0(RegFunction, p->nfuncs ? p->nfuncs : 1);
  for (uint32_t i = 0; i < p->nfuncs; i++) {
    uint32_t *r = t + 8 * i;
    p->funcs[i] = (RegFunction){ r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] };
  }
  g_free(t);

  p->nreg_types = sec[REG_SEC_REG_TYPES].count;
  p->reg_types = read_u32_table(&sec[REG_SEC_REG_TYPES], 1);

  const Sec *code = &sec[REG_SEC_CODE];
  p->ninsns = code->count;
  p->code = g_new0(uint64_t, p->ninsns ? p->ninsns : 1);
  for (uint32_t i = 0; i < p->ninsns; i++)
    p->code[i] = (uint64_t) get_i64(code->data + (size_t) i * 8);
  if (sec[REG_SEC_INSN_LOCS].count != p->ninsns)
    return fail(error, "line table has %u entries for %u instructions",
                sec[REG_SEC_INSN_LOCS].count, p->ninsns);
  p->insn_locs = read_u32_table(&sec[REG_SEC_INSN_LOCS], 1);

  p->nlocs = sec[REG_SEC_LOCS].count;
  t = read_u32_table(&sec[REG_SEC_LOCS], 3);
  p->locs = g_new0(RegLoc, p->nlocs ? p->nlocs : 1);
  for (uint32_t i = 0; i < p->nlocs; i++)
    p->locs[i] = (RegLoc){ t[3 * i], t[3 * i + 1], t[3 * i + 2] };
  g_free(t);

  const Sec *rs = &sec[REG_SEC_RULES];
  p->nrules = rs->count;
  p->rules = g_new0(RegRuleInfo, p->nrules ? p->nrules : 1);
  for (uint32_t i = 0; i < p->nrules; i++) {
    const guint8 *r = rs->data + (size_t) i * 40;
    p->rules[i] = (RegRuleInfo){ get_u32(r), get_u32(r + 4), get_u32(r + 8), get_u32(r + 12),
                                 get_u32(r + 16), get_u32(r + 20), get_u32(r + 24),
                                 get_u32(r + 28), get_i64(r + 32) };
  }

  p->nglobals = sec[REG_SEC_GLOBALS].count;
  t = read_u32_table(&sec[REG_SEC_GLOBALS], 1);
  p->globals = g_new0(RegGlobal, p->nglobals ? p->nglobals : 1);
  for (uint32_t i = 0; i < p->nglobals; i++)
    p->globals[i].func = t[i];
  g_free(t);

  p->nviews = sec[REG_SEC_VIEWS].count;
  t = read_u32_table(&sec[REG_SEC_VIEWS], 3);
  p->views = g_new0(RegView, p->nviews ? p->nviews : 1);
  for (uint32_t i = 0; i < p->nviews; i++)
    p->views[i] = (RegView){ t[3 * i], t[3 * i + 1], t[3 * i + 2] };
  g_free(t);

  p->nchecks = sec[REG_SEC_CHECKS].count;
  t = read_u32_table(&sec[REG_SEC_CHECKS], 2);
  p->checks = g_new0(RegCheck, p->nchecks ? p->nchecks : 1);
  for (uint32_t i = 0; i < p->nchecks; i++)
    p->checks[i] = (RegCheck){ t[2 * i], t[2 * i + 1] };
  g_free(t);

  p->nconds = sec[REG_SEC_CONDS].count;
  t = read_u32_table(&sec[REG_SEC_CONDS], 7);
  p->conds = g_new0(RegCond, p->nconds ? p->nconds : 1);
  for (uint32_t i = 0; i < p->nconds; i++) {
    uint32_t *r = t + 7 * i;
    p->conds[i] = (RegCond){ r[0], r[1], r[2], r[3], r[4], r[5], r[6] };
  }
  g_free(t);

  /* (a file without the section: every function is run as it is) */
  p->plain_of = g_new0(uint32_t, p->nfuncs ? p->nfuncs : 1);
  if (sec[REG_SEC_PLAIN].data && sec[REG_SEC_PLAIN].count != p->nfuncs)
    return fail(error, "plain section has %u entries for %u functions",
                sec[REG_SEC_PLAIN].count, p->nfuncs);
  t = sec[REG_SEC_PLAIN].data ? read_u32_table(&sec[REG_SEC_PLAIN], 1) : NULL;
  for (uint32_t i = 0; i < p->nfuncs; i++)
    p->plain_of[i] = t ? t[i] : i;
  g_free(t);
  return TRUE;
}

static void
program_free(RegProgram *p)
{
  if (p->enum_lists) {
    for (uint32_t i = 0; i < p->nenums; i++)
      g_free(p->enum_lists[i]);
    g_free(p->enum_lists);
  }
  g_free(p->cond_at);
  g_free(p->run_code);
  g_free(p->json_blob);
  g_free(p->wfields);
  g_free(p->member_json);
  g_free(p->memo_func);
  g_free(p->plain_of);
  g_free(p->clear_func);
  g_free(p->empty_text_storage);
  g_free(p->strings);
  g_free(p->text_blob);
  g_free(p->types);
  g_free(p->enums);
  g_free(p->enum_members);
  g_free(p->enum_labels);
  g_free(p->records);
  g_free(p->fields);
  g_free(p->consts);
  g_free(p->funcs);
  g_free(p->reg_types);
  g_free(p->code);
  g_free(p->insn_locs);
  g_free(p->locs);
  g_free(p->rules);
  g_free(p->globals);
  g_free(p->views);
  g_free(p->checks);
  g_free(p->conds);
  if (p->bytes)
    g_bytes_unref(p->bytes);
  g_free(p);
}

RegProgram *
reg_program_load_bytes(GBytes *bytes, GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data(bytes, &size);
  if (size < 16 || memcmp(data, REG_FILE_MAGIC, REG_FILE_MAGIC_LEN) != 0) {
    fail(error, "no libreg magic number at the start");
    return NULL;
  }
  if (size > REG_FILE_MAX_SIZE) {
    fail(error, "larger than %u bytes", REG_FILE_MAX_SIZE);
    return NULL;
  }
  uint32_t version = get_u32(data + 8);
  if (version != REG_FILE_VERSION) {
    g_set_error(error, REG_LOAD_ERROR, REG_LOAD_ERROR_FORMAT,
                "compiled criteria file has format version %u; this libreg reads version %u",
                version, REG_FILE_VERSION);
    return NULL;
  }
  uint32_t nsec = get_u32(data + 12);
  if (nsec > REG_FILE_MAX_SECTIONS || 16 + (size_t) nsec * 12 > size) {
    fail(error, "section directory out of bounds");
    return NULL;
  }
  Sec sec[REG_SEC__LAST + 1];
  memset(sec, 0, sizeof sec);
  bool seen[REG_SEC__LAST + 1] = { false };
  for (uint32_t i = 0; i < nsec; i++) {
    const guint8 *e = data + 16 + (size_t) i * 12;
    uint32_t id = get_u32(e), off = get_u32(e + 4), len = get_u32(e + 8);
    if (id < 1 || id > REG_SEC__LAST) {
      fail(error, "unknown section %u", id);
      return NULL;
    }
    if (seen[id]) {
      fail(error, "section %u appears twice", id);
      return NULL;
    }
    if ((size_t) off > size || (size_t) len > size - off) {
      fail(error, "section %u out of bounds", id);
      return NULL;
    }
    uint32_t rs = section_record_size(id);
    if (rs && len % rs != 0) {
      fail(error, "section %u size %u is not a multiple of %u", id, len, rs);
      return NULL;
    }
    seen[id] = true;
    sec[id] = (Sec){ data + off, len, rs ? len / rs : 0 };
  }
  for (uint32_t id = 1; id <= REG_SEC__LAST; id++) {
    if (!seen[id] && id != REG_SEC_PLAIN) {
      fail(error, "section %u missing", id);
      return NULL;
    }
  }

  RegProgram *p = g_new0(RegProgram, 1);
  p->refcount = 1;
  p->bytes = g_bytes_ref(bytes);
  if (!load_tables(p, sec, error) || !reg_verify(p, error)) {
    program_free(p);
    return NULL;
  }
  GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(ck, data, (gssize) size);
  gsize dlen = sizeof p->sha256;
  g_checksum_get_digest(ck, p->sha256, &dlen);
  g_strlcpy(p->sha256_hex, g_checksum_get_string(ck), sizeof p->sha256_hex);
  g_checksum_free(ck);
  return p;
}

RegProgram *
reg_program_new_from_bytes(GBytes *bytes, GError **error)
{
  g_return_val_if_fail(bytes != NULL, NULL);
  return reg_program_load_bytes(bytes, error);
}

RegProgram *
reg_program_new_from_file(const char *path, GError **error)
{
  g_return_val_if_fail(path != NULL, NULL);
  char *data = NULL;
  gsize len = 0;
  GError *local = NULL;
  switch (reg_read_file_limited(path, REG_FILE_MAX_SIZE, &data, &len, &local)) {
  case REG_READ_FILE_TOO_LARGE:
    /* refused before it is read whole (a FIFO or a device: one byte past the limit) */
    g_set_error(error, REG_LOAD_ERROR, REG_LOAD_ERROR_FORMAT,
                "%s: not a valid compiled criteria file: larger than %u bytes", path,
                REG_FILE_MAX_SIZE);
    return NULL;
  case REG_READ_FILE_IO:
    g_set_error(error, REG_LOAD_ERROR, REG_LOAD_ERROR_IO, "%s", local->message);
    g_error_free(local);
    return NULL;
  case REG_READ_FILE_OK:
  default:
    break;
  }
  GBytes *b = g_bytes_new_take(data, len);
  RegProgram *p = reg_program_load_bytes(b, error);
  g_bytes_unref(b);
  if (!p && error && *error)
    g_prefix_error(error, "%s: ", path);
  return p;
}

RegProgram *
reg_program_ref(RegProgram *p)
{
  g_return_val_if_fail(p != NULL, NULL);
  g_atomic_int_inc(&p->refcount);
  return p;
}

void
reg_program_unref(RegProgram *p)
{
  if (!p)
    return;
  if (g_atomic_int_dec_and_test(&p->refcount))
    program_free(p);
}

GBytes *
reg_program_get_bytes(RegProgram *p)
{
  g_return_val_if_fail(p != NULL, NULL);
  return g_bytes_ref(p->bytes);
}

const char *
reg_program_get_sha256(RegProgram *p)
{
  g_return_val_if_fail(p != NULL, NULL);
  return p->sha256_hex;
}

const char *
reg_program_get_name(RegProgram *p)
{
  g_return_val_if_fail(p != NULL, NULL);
  return reg_str(p, p->name);
}

const char *
reg_program_get_version(RegProgram *p)
{
  g_return_val_if_fail(p != NULL, NULL);
  return reg_str(p, p->version);
}

char *
reg_program_disassemble(RegProgram *p)
{
  g_return_val_if_fail(p != NULL, NULL);
  return reg_disasm(p);
}

uint32_t
reg_record_optional_bit(const RegProgram *p, uint32_t rec, uint32_t field)
{
  uint32_t bit = 0;
  for (uint32_t i = 0; i < field; i++)
    if (reg_record_field(p, rec, i)->flags & REG_FIELD_OPTIONAL)
      bit++;
  return bit;
}

const RegLoc *
reg_insn_loc(const RegProgram *p, uint32_t func, uint32_t pc)
{
  if (func >= p->nfuncs || pc >= p->funcs[func].ninsns)
    return NULL;
  uint32_t l = p->insn_locs[p->funcs[func].first_insn + pc];
  return l < p->nlocs ? &p->locs[l] : NULL;
}
