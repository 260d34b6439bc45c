/* host.c: the host API: portfolios built field by field without JSON, and decisions read by path. */
#include <string.h>

#include "date-private.h"
#include "decimal-private.h"
#include "evaluator-private.h"
#include "sha256-private.h"
#include "value-json-private.h"

/*
 * Paths name a place in a value by the field names and list indexes of its
 * type: "person.id", "items[2].hours", "groups[0].members".
 * The empty path is the root record. Nothing here knows a field of the
 * register: every name is looked up in the program's type table.
 */

typedef struct {
  const char *name; /* field name, or NULL for a list index */
  size_t len;
  uint32_t index;
  size_t end; /* offset just after the segment: the path so far is [0, end) */
} Seg;

typedef enum { SEG_END = 0, SEG_OK, SEG_BAD } SegStatus;

/* Reads the segment at path[*pos]. */
static SegStatus
next_seg(const char *path, size_t *pos, Seg *s)
{
  const char *p = path + *pos;
  if (*p == '\0')
    return SEG_END;
  if (*p == '[') {
    p++;
    if (*p < '0' || *p > '9')
      return SEG_BAD;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
      v = v * 10 + (uint64_t) (*p++ - '0');
      if (v > UINT32_MAX)
        return SEG_BAD;
    }
    if (*p != ']')
      return SEG_BAD;
    p++;
    s->name = NULL;
    s->len = 0;
    s->index = (uint32_t) v;
  } else {
    if (*pos > 0) {
      if (*p != '.')
        return SEG_BAD;
      p++;
    }
    const char *n = p;
    while (*p && *p != '.' && *p != '[' && *p != ']')
      p++;
    if (p == n)
      return SEG_BAD;
    s->name = n;
    s->len = (size_t) (p - n);
    s->index = 0;
  }
  *pos = (size_t) (p - path);
  s->end = *pos;
  return SEG_OK;
}

/* Whether the whole of @path is well formed (checked before any lookup). */
static bool
path_ok(const char *path)
{
  size_t pos = 0;
  Seg s;
  SegStatus st;
  while ((st = next_seg(path, &pos, &s)) == SEG_OK)
    ;
  return st == SEG_END;
}

/* "<path up to @end>: <message>" as a REG_EVAL_ERROR. */
static void path_error(GError **error, RegEvalError code, const char *path, size_t end,
                       const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void
path_error(GError **error, RegEvalError code, const char *path, size_t end, const char *fmt, ...)
{
  if (!error)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (end == 0)
    g_set_error(error, REG_EVAL_ERROR, code, "%s", msg);
  else
    g_set_error(error, REG_EVAL_ERROR, code, "%.*s: %s", (int) end, path, msg);
  g_free(msg);
}

static void
bad_path(GError **error, const char *path)
{
  g_set_error(error, REG_EVAL_ERROR, REG_EVAL_ERROR_USAGE,
              "'%s': not a path (field names joined by '.', list indexes as [N])", path);
}

/* What a value of @type is, for messages: "a date", "text", "a record (Person)". */
static char *
type_desc(const RegProgram *p, uint32_t type)
{
  const RegType *t = &p->types[type];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_BOOL:
    return g_strdup("true/false");
  case REG_TK_INT:
    return g_strdup("a whole number");
  case REG_TK_DEC:
    return g_strdup("a number");
  case REG_TK_TEXT:
    return g_strdup("text");
  case REG_TK_DATE:
    return g_strdup("a date");
  case REG_TK_DUR:
    return g_strdup("a duration");
  case REG_TK_ENUM:
    return g_strdup_printf("a member of %s", reg_str(p, p->enums[t->arg].name));
  case REG_TK_LIST:
    return g_strdup("a list");
  case REG_TK_RECORD:
    return g_strdup_printf("a record (%s)", reg_str(p, p->records[t->arg].name));
  default:
    return g_strdup("a value");
  }
}

/* Index of the field @name of record @rec, or -1. */
static int64_t
find_field(const RegProgram *p, uint32_t rec, const char *name, size_t len)
{
  const RegRecord *r = &p->records[rec];
  for (uint32_t i = 0; i < r->nfields; i++) {
    const RegText *n = p->strings[reg_record_field(p, rec, i)->name];
    if (n->len == len && memcmp(n->s, name, len) == 0)
      return i;
  }
  return -1;
}

/* The error for a segment that does not fit the type it is applied to. */
static void
seg_mismatch(GError **error, const RegProgram *p, const char *path, const Seg *s, size_t prev_end,
             uint32_t type)
{
  const RegType *t = &p->types[type];
  if (s->name && t->kind == REG_TK_RECORD) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, s->end, "no such field in %s",
               reg_str(p, p->records[t->arg].name));
    return;
  }
  char *what = type_desc(p, type);
  if (prev_end == 0)
    path_error(error, REG_EVAL_ERROR_USAGE, path, s->end, "%s (the root is %s)",
               s->name ? "no such field" : "not a list", what);
  else
    path_error(error, REG_EVAL_ERROR_USAGE, path, s->end, "%s (%.*s is %s)",
               s->name ? "no such field" : "not a list", (int) prev_end, path, what);
  g_free(what);
}

static RegKind
kind_of(const RegProgram *p, uint32_t type)
{
  switch ((RegTypeKind) p->types[type].kind) {
  case REG_TK_BOOL:
    return REG_KIND_BOOL;
  case REG_TK_INT:
    return REG_KIND_INT;
  case REG_TK_DEC:
    return REG_KIND_DECIMAL;
  case REG_TK_TEXT:
    return REG_KIND_TEXT;
  case REG_TK_DATE:
    return REG_KIND_DATE;
  case REG_TK_DUR:
    return REG_KIND_DURATION;
  case REG_TK_ENUM:
    return REG_KIND_ENUM;
  case REG_TK_LIST:
    return REG_KIND_LIST;
  case REG_TK_RECORD:
    return REG_KIND_RECORD;
  default:
    return REG_KIND_INVALID;
  }
}

/*
 * One step of a path, for walk_path(): @field is the field's index in the record of type
 * @from, or -1 for a list element; @to is the step's type; the path up to the step ends at
 * @prev. Returns FALSE (with @error set) to stop the walk.
 */
typedef gboolean (*StepFn)(void *data, const Seg *s, size_t prev, int64_t field, uint32_t from,
                           uint32_t to, GError **error);

/*
 * Follows @path from @type by the schema: each field must exist in its record, each index
 * must be taken of a list (its range is @step's to check). Returns FALSE with @error set for
 * a malformed path or a step the schema does not have, or when @step says so; else the type
 * at the end in *@type_out.
 */
static gboolean
walk_path(const RegProgram *p, uint32_t type, const char *path, StepFn step, void *data,
          uint32_t *type_out, GError **error)
{
  if (!path_ok(path)) {
    bad_path(error, path);
    return FALSE;
  }
  size_t pos = 0, prev = 0;
  Seg s;
  SegStatus st;
  while ((st = next_seg(path, &pos, &s)) == SEG_OK) {
    const RegType *t = &p->types[type];
    int64_t field = -1;
    uint32_t to;
    if (s.name && t->kind == REG_TK_RECORD && (field = find_field(p, t->arg, s.name, s.len)) >= 0) {
      to = reg_record_field(p, t->arg, (uint32_t) field)->type;
    } else if (!s.name && t->kind == REG_TK_LIST) {
      to = t->arg;
    } else {
      seg_mismatch(error, p, path, &s, prev, type);
      return FALSE;
    }
    if (step && !step(data, &s, prev, field, type, to, error))
      return FALSE;
    type = to;
    prev = s.end;
  }
  if (st == SEG_BAD) {
    bad_path(error, path);
    return FALSE;
  }
  *type_out = type;
  return TRUE;
}

/* The type at @path below @type, by the schema alone (list indexes are not checked). */
static RegKind
schema_kind(const RegProgram *p, uint32_t type, const char *path, GError **error)
{
  uint32_t at;
  return walk_path(p, type, path, NULL, NULL, &at, error) ? kind_of(p, at) : REG_KIND_INVALID;
}

/* ---- Portfolios built by path ------------------------------------------------ */

/*
 * The input under construction mirrors the schema: one node per value given
 * so far. A record node has one slot per field (NULL: never touched); a list
 * node has its elements. Records and lists are "set" (present) once anything
 * below them is set, or when set empty; scalars once given a value.
 */
typedef struct Node Node;
struct Node {
  uint32_t type;
  bool set;
  int64_t i;     /* bool, int, decimal (millionths), date (days), enum (member, -1 unknown) */
  char *text;    /* text; for an unknown member of an open enumeration, the name given */
  Node **kids;   /* record: one per field; list: the elements */
  uint32_t nkids, cap;
  bool record;   /* kids are the record's fields (a fixed number) */
};

struct _RegInput {
  RegProgram *p;
  Node root;
};

static void node_clear(Node *n);

static void
node_free(Node *n)
{
  if (!n)
    return;
  node_clear(n);
  g_free(n->kids);
  g_free(n);
}

/* Forgets the node's value; a record keeps its (now empty) slots. */
static void
node_clear(Node *n)
{
  for (uint32_t i = 0; i < n->nkids; i++) {
    node_free(n->kids[i]);
    n->kids[i] = NULL;
  }
  if (!n->record)
    n->nkids = 0;
  g_free(n->text);
  n->text = NULL;
  n->i = 0;
  n->set = false;
}

static void
node_init(const RegProgram *p, Node *n, uint32_t type)
{
  memset(n, 0, sizeof *n);
  n->type = type;
  if (p->types[type].kind == REG_TK_RECORD) {
    n->nkids = p->records[p->types[type].arg].nfields;
    n->kids = g_new0(Node *, n->nkids ? n->nkids : 1);
    n->record = true;
  }
}

static Node *
node_new(const RegProgram *p, uint32_t type)
{
  Node *n = g_new(Node, 1);
  node_init(p, n, type);
  return n;
}

static Node *
node_append(const RegProgram *p, Node *list)
{
  if (list->nkids == list->cap) {
    list->cap = list->cap ? list->cap * 2 : 4;
    list->kids = g_renew(Node *, list->kids, list->cap);
  }
  Node *e = node_new(p, p->types[list->type].arg);
  list->kids[list->nkids++] = e;
  return e;
}

RegInput *
reg_input_new(RegProgram *program)
{
  g_return_val_if_fail(program != NULL, NULL);
  RegInput *in = g_new0(RegInput, 1);
  in->p = reg_program_ref(program);
  node_init(program, &in->root, program->input_type);
  in->root.set = true;
  return in;
}

void
reg_input_free(RegInput *in)
{
  if (!in)
    return;
  node_clear(&in->root);
  g_free(in->root.kids);
  reg_program_unref(in->p);
  g_free(in);
}

void
reg_input_clear(RegInput *in)
{
  g_return_if_fail(in != NULL);
  node_clear(&in->root);
  in->root.set = true;
}

RegProgram *
reg_input_get_program(RegInput *in)
{
  g_return_val_if_fail(in != NULL, NULL);
  return in->p;
}

typedef struct {
  uint32_t type;
  const RegField *f; /* when the place is a field of a record (constraints), else NULL */
  Node *node;        /* NULL when it does not exist yet (only when not creating) */
} Place;

/* A walk along a built portfolio's nodes (resolve_step). */
typedef struct {
  RegInput *in;
  const char *path;
  bool create;
  Node *n;
  const RegField *f;
} Resolve;

static gboolean
resolve_step(void *data, const Seg *s, size_t prev, int64_t field, uint32_t from, uint32_t to,
             GError **error)
{
  Resolve *r = data;
  (void) prev;
  const RegProgram *p = r->in->p;
  Node *n = r->n;
  if (r->create)
    n->set = true;
  if (field >= 0) {
    r->f = reg_record_field(p, p->types[from].arg, (uint32_t) field);
    if (n) {
      if (!n->kids[field] && r->create)
        n->kids[field] = node_new(p, to);
      n = n->kids[field];
    }
  } else {
    uint32_t len = n ? n->nkids : 0;
    if (s->index > len) {
      path_error(error, REG_EVAL_ERROR_USAGE, r->path, s->end,
                 "index out of range (the list has %u element%s; an index equal to the length "
                 "appends)",
                 len, len == 1 ? "" : "s");
      return FALSE;
    }
    r->f = NULL;
    if (n)
      n = s->index < len ? n->kids[s->index] : r->create ? node_append(p, n) : NULL;
  }
  r->n = n;
  return TRUE;
}

/*
 * Finds the place @path names. Without @create nothing changes: it only
 * checks that the place can be set (an index may be the list's length, which
 * appends). With @create the nodes on the way are made and marked present;
 * call it only after a check, as it cannot fail then.
 */
static gboolean
input_resolve(RegInput *in, const char *path, bool create, Place *out, GError **error)
{
  Resolve r = { in, path, create, &in->root, NULL };
  uint32_t type;
  if (!walk_path(in->p, in->p->input_type, path, resolve_step, &r, &type, error))
    return FALSE;
  out->type = type;
  out->f = r.f;
  out->node = r.n;
  return TRUE;
}

/* Which setter a value of @kind takes, as a hint in usage errors. */
static const char *
setter_hint(uint32_t kind)
{
  switch ((RegTypeKind) kind) {
  case REG_TK_BOOL:
    return " (use reg_input_set_bool)";
  case REG_TK_INT:
  case REG_TK_DEC:
    return " (use reg_input_set_decimal or reg_input_set_int)";
  case REG_TK_TEXT:
    return " (use reg_input_set_text)";
  case REG_TK_DATE:
    return " (use reg_input_set_date)";
  case REG_TK_ENUM:
    return " (use reg_input_set_enum)";
  case REG_TK_LIST:
    return " (use reg_input_append or reg_input_set_empty)";
  case REG_TK_RECORD:
    return " (set its fields, or use reg_input_set_empty)";
  default:
    return "";
  }
}

/* The place @path names for a function of values of @want kinds; a usage error for another kind. */
static gboolean
setter_place(RegInput *in, const char *path, unsigned want, const char *setter, Place *pl,
             GError **error)
{
  if (!input_resolve(in, path, false, pl, error))
    return FALSE;
  uint32_t kind = in->p->types[pl->type].kind;
  if (!(want & (1u << kind))) {
    char *what = type_desc(in->p, pl->type);
    bool is_setter = strstr(setter, "_set_") != NULL || strstr(setter, "_append") != NULL;
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "%s does not apply to %s%s",
               setter, what, is_setter ? setter_hint(kind) : "");
    g_free(what);
    return FALSE;
  }
  return TRUE;
}

/* Makes the checked place and returns its node, emptied. */
static Node *
commit_place(RegInput *in, const char *path)
{
  Place pl;
  gboolean ok = input_resolve(in, path, true, &pl, NULL);
  g_assert(ok && pl.node);
  node_clear(pl.node);
  pl.node->set = true;
  return pl.node;
}

#define KIND(k) (1u << (k))

/*
 * The checks the JSON reader makes of a number (portfolio.c, read_number),
 * with its messages: @v is in millionths with @decimals fraction digits; on
 * success *@out is in the field type's representation.
 */
static gboolean
check_number(const RegProgram *p, const Place *pl, const char *path, int64_t v, int decimals,
             int64_t *out, GError **error)
{
  const RegField *f = pl->f;
  if (pl->type == REG_TYPE_INT) {
    if (decimals > 0) {
      path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "not a whole number");
      return FALSE;
    }
    v /= REG_DEC_SCALE;
  } else if (f && (f->flags & REG_FIELD_MAXDEC) && (uint32_t) decimals > f->maxdec) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "more than %u decimal%s",
               f->maxdec, f->maxdec == 1 ? "" : "s");
    return FALSE;
  }
  if (f && (f->flags & REG_FIELD_MIN) && v < f->min) {
    if (f->min == 0) {
      path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "negative");
    } else {
      char buf[REG_DEC_FORMAT_MAX + 1];
      if (pl->type == REG_TYPE_INT)
        reg_int_format(f->min, buf);
      else
        reg_dec_format(f->min, buf);
      path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "less than %s", buf);
    }
    return FALSE;
  }
  (void) p;
  *out = v;
  return TRUE;
}

static gboolean
set_number(RegInput *in, const char *path, const Place *pl, int64_t v, int decimals,
           GError **error)
{
  int64_t x;
  if (!check_number(in->p, pl, path, v, decimals, &x, error))
    return FALSE;
  commit_place(in, path)->i = x;
  return TRUE;
}

static void
too_precise(const Place *pl, const char *path, GError **error)
{
  if (pl->f && (pl->f->flags & REG_FIELD_MAXDEC))
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "more than %u decimal%s",
               pl->f->maxdec, pl->f->maxdec == 1 ? "" : "s");
  else if (pl->type == REG_TYPE_INT)
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "not a whole number");
  else
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "more than %d decimals",
               REG_DEC_DIGITS);
}

gboolean
reg_input_set_decimal(RegInput *in, const char *path, const char *number, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL && number != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_DEC) | KIND(REG_TK_INT), "reg_input_set_decimal", &pl,
                    error))
    return FALSE;
  int64_t v;
  int decimals = 0;
  RegDecStatus st = reg_dec_parse(number, strlen(number), &v, &decimals);
  if (st == REG_DEC_OVERFLOW) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "number out of range");
    return FALSE;
  }
  if (st == REG_DEC_TOO_PRECISE) {
    too_precise(&pl, path, error);
    return FALSE;
  }
  if (st != REG_DEC_OK) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path),
               "'%s' is not a number (JSON syntax: -12.5, 3, 1e2)", number);
    return FALSE;
  }
  return set_number(in, path, &pl, v, decimals, error);
}

gboolean
reg_input_set_decimal_units(RegInput *in, const char *path, gint64 units, guint scale,
                            GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_DEC) | KIND(REG_TK_INT), "reg_input_set_decimal_units",
                    &pl, error))
    return FALSE;
  if (scale > 18) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path),
               "scale %u is more than 18 decimals", scale);
    return FALSE;
  }
  int64_t pow10 = 1;
  int64_t v;
  if (scale <= REG_DEC_DIGITS) {
    for (guint i = scale; i < REG_DEC_DIGITS; i++)
      pow10 *= 10;
    if (__builtin_mul_overflow(units, pow10, &v)) {
      path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "number out of range");
      return FALSE;
    }
  } else {
    for (guint i = REG_DEC_DIGITS; i < scale; i++)
      pow10 *= 10;
    if (units % pow10 != 0) {
      too_precise(&pl, path, error);
      return FALSE;
    }
    v = units / pow10;
  }
  return set_number(in, path, &pl, v, reg_dec_decimals(v), error);
}

gboolean
reg_input_set_int(RegInput *in, const char *path, gint64 value, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_DEC) | KIND(REG_TK_INT), "reg_input_set_int", &pl,
                    error))
    return FALSE;
  /* whole numbers are read as decimals too, so they share the decimals' range */
  int64_t v;
  if (!reg_dec_from_int(value, &v)) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "number out of range");
    return FALSE;
  }
  return set_number(in, path, &pl, v, 0, error);
}

gboolean
reg_input_set_bool(RegInput *in, const char *path, gboolean value, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_BOOL), "reg_input_set_bool", &pl, error))
    return FALSE;
  commit_place(in, path)->i = value ? 1 : 0;
  return TRUE;
}

gboolean
reg_input_set_text(RegInput *in, const char *path, const char *text, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL && text != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_TEXT), "reg_input_set_text", &pl, error))
    return FALSE;
  size_t n = strlen(text);
  if (n > G_MAXUINT32 - 64) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "text too long");
    return FALSE;
  }
  if (!g_utf8_validate(text, (gssize) n, NULL)) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "not valid UTF-8");
    return FALSE;
  }
  commit_place(in, path)->text = g_strndup(text, n);
  return TRUE;
}

gboolean
reg_input_set_date(RegInput *in, const char *path, const char *date, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL && date != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_DATE), "reg_input_set_date", &pl, error))
    return FALSE;
  int64_t d;
  if (!reg_date_parse(date, strlen(date), &d)) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "not a date");
    return FALSE;
  }
  commit_place(in, path)->i = d;
  return TRUE;
}

gboolean
reg_input_set_enum(RegInput *in, const char *path, const char *member, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL && member != NULL, FALSE);
  const RegProgram *p = in->p;
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_ENUM), "reg_input_set_enum", &pl, error))
    return FALSE;
  const RegEnum *e = &p->enums[p->types[pl.type].arg];
  for (uint32_t i = 0; i < e->nmembers; i++) {
    if (strcmp(reg_str(p, p->enum_members[e->first_member + i]), member) == 0) {
      commit_place(in, path)->i = i;
      return TRUE;
    }
  }
  size_t n = strlen(member);
  if (!g_utf8_validate(member, (gssize) n, NULL) || n > G_MAXUINT32 - 64) {
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "not valid UTF-8");
    return FALSE;
  }
  if (!e->open) {
    GString *list = g_string_new(NULL);
    for (uint32_t i = 0; i < e->nmembers; i++)
      g_string_append_printf(list, "%s%s", i ? ", " : "",
                             reg_str(p, p->enum_members[e->first_member + i]));
    size_t show = n > 40 ? 40 : n;
    while (show > 0 && show < n && ((unsigned char) member[show] & 0xc0) == 0x80)
      show--;
    path_error(error, REG_EVAL_ERROR_DATA, path, strlen(path), "\"%.*s\" is not one of %s",
               (int) show, member, list->str);
    g_string_free(list, TRUE);
    return FALSE;
  }
  /* an open enumeration: an unknown value, kept by name for the canonical JSON */
  Node *node = commit_place(in, path);
  node->i = -1;
  node->text = g_strndup(member, n);
  return TRUE;
}

gboolean
reg_input_set_empty(RegInput *in, const char *path, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, FALSE);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_LIST) | KIND(REG_TK_RECORD), "reg_input_set_empty", &pl,
                    error))
    return FALSE;
  commit_place(in, path);
  return TRUE;
}

gint
reg_input_append(RegInput *in, const char *path, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, -1);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_LIST), "reg_input_append", &pl, error))
    return -1;
  if (pl.node && pl.node->nkids >= (uint32_t) G_MAXINT) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "list too long");
    return -1;
  }
  gboolean ok = input_resolve(in, path, true, &pl, NULL);
  g_assert(ok && pl.node);
  pl.node->set = true;
  Node *e = node_append(in->p, pl.node);
  /* an element is there once appended: a record with no fields yet, or a value still missing */
  e->set = in->p->types[e->type].kind == REG_TK_RECORD || in->p->types[e->type].kind == REG_TK_LIST;
  return (gint) (pl.node->nkids - 1);
}

guint
reg_input_get_length(RegInput *in, const char *path, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, 0);
  Place pl;
  if (!setter_place(in, path, KIND(REG_TK_LIST), "reg_input_get_length", &pl, error))
    return 0;
  return pl.node && pl.node->set ? pl.node->nkids : 0;
}

gboolean
reg_input_has(RegInput *in, const char *path, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, FALSE);
  Place pl;
  if (!input_resolve(in, path, false, &pl, error))
    return FALSE;
  return pl.node != NULL && pl.node->set;
}

RegKind
reg_input_get_kind(RegInput *in, const char *path, GError **error)
{
  g_return_val_if_fail(in != NULL && path != NULL, REG_KIND_INVALID);
  return schema_kind(in->p, in->p->input_type, path, error);
}

/* ---- From the built input to records in an arena, and its canonical JSON ------- */

typedef struct {
  const RegProgram *p;
  RegArena *a;
  RegBuf *json; /* the canonical JSON, when wanted */
  GString *path;
  char *err; /* the first error, "path: problem" */
  const RegText *key;
  bool asof_set;
  int64_t asof;
} Build;

static void
build_error(Build *b, const char *msg)
{
  if (b->err)
    return;
  b->err = b->path->len ? g_strdup_printf("%s: %s", b->path->str, msg) : g_strdup(msg);
}

static void *
build_alloc(Build *b, size_t n)
{
  void *m = reg_arena_alloc(b->a, n);
  if (!m) {
    build_error(b, "portfolio too large for the memory limit");
    return NULL;
  }
  memset(m, 0, n);
  return m;
}

static void
push_name(Build *b, const RegText *name)
{
  if (b->path->len)
    g_string_append_c(b->path, '.');
  g_string_append_len(b->path, name->s, name->len);
}

/* The value a field gets when the portfolio does not give it (portfolio.c's rules). */
static RegValue
field_default(const RegProgram *p, const RegField *f)
{
  RegValue v;
  v.i = (f->flags & REG_FIELD_DEFAULT) ? f->deflt : 0;
  uint32_t kind = p->types[f->type].kind;
  if (kind == REG_TK_TEXT)
    v.p = (f->flags & REG_FIELD_DEFAULT) ? (const void *) p->strings[f->deflt]
                                         : (const void *) p->empty_text;
  else if (kind == REG_TK_LIST)
    v.p = &reg_empty_list;
  return v;
}

/* A record of defaults alone: what an absent, optional record field becomes. */
static bool
default_record(Build *b, uint32_t rec, RegValue *out, int level)
{
  const RegProgram *p = b->p;
  const RegRecord *r = &p->records[rec];
  if (level > 32) {
    build_error(b, "portfolio too large for the memory limit");
    return false;
  }
  RegValue *v = build_alloc(b, (reg_record_words(r) + 1) * sizeof(RegValue));
  if (!v)
    return false;
  for (uint32_t i = 0; i < r->nfields; i++) {
    const RegField *f = reg_record_field(p, rec, i);
    v[i] = field_default(p, f);
    if (p->types[f->type].kind == REG_TK_RECORD &&
        !default_record(b, p->types[f->type].arg, &v[i], level + 1))
      return false;
  }
  out->p = v;
  return true;
}

static bool build_record(Build *b, uint32_t rec, const Node *n, RegValue *out);

static void
json_key(Build *b, bool *first, const RegText *name)
{
  if (!b->json)
    return;
  if (!*first)
    reg_buf_addc(b->json, ',');
  *first = false;
  reg_buf_json_string(b->json, name->s, name->len);
  reg_buf_addc(b->json, ':');
}

/* Builds the value of a set node. */
static bool
build_value(Build *b, uint32_t type, const RegField *f, const Node *n, RegValue *out)
{
  const RegProgram *p = b->p;
  const RegType *t = &p->types[type];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_BOOL:
  case REG_TK_INT:
  case REG_TK_DEC:
  case REG_TK_DATE:
    out->i = n->i;
    if (f && (f->flags & REG_FIELD_ASOF) && t->kind == REG_TK_DATE) {
      b->asof = n->i;
      b->asof_set = true;
    }
    if (b->json)
      reg_write_value(b->json, p, type, *out);
    return true;
  case REG_TK_ENUM:
    out->i = n->i;
    if (b->json) {
      if (n->i < 0)
        reg_buf_json_string(b->json, n->text, strlen(n->text));
      else
        reg_write_value(b->json, p, type, *out);
    }
    return true;
  case REG_TK_TEXT: {
    size_t len = strlen(n->text);
    RegText *s = build_alloc(b, sizeof(RegText) + len + 1);
    if (!s)
      return false;
    s->len = (uint32_t) len;
    memcpy(s->s, n->text, len + 1);
    out->p = s;
    if (f && (f->flags & REG_FIELD_KEY))
      b->key = s;
    if (b->json)
      reg_buf_json_string(b->json, s->s, s->len);
    return true;
  }
  case REG_TK_LIST: {
    if (n->nkids == 0) {
      out->p = &reg_empty_list;
      if (b->json)
        reg_buf_lit(b->json, "[]");
      return true;
    }
    RegList *l = build_alloc(b, sizeof(RegList) + n->nkids * sizeof(RegValue));
    if (!l)
      return false;
    l->len = l->cap = n->nkids;
    if (b->json)
      reg_buf_addc(b->json, '[');
    size_t base = b->path->len;
    for (uint32_t i = 0; i < n->nkids; i++) {
      if (b->json && i)
        reg_buf_addc(b->json, ',');
      g_string_append_printf(b->path, "[%u]", i);
      const Node *e = n->kids[i];
      if (e->set) {
        if (!build_value(b, t->arg, NULL, e, &l->v[i]))
          return false;
      } else {
        build_error(b, "missing");
        if (b->json)
          reg_buf_lit(b->json, "null");
      }
      g_string_truncate(b->path, base);
    }
    if (b->json)
      reg_buf_addc(b->json, ']');
    out->p = l;
    return true;
  }
  case REG_TK_RECORD:
    return build_record(b, t->arg, n, out);
  case REG_TK_DUR:
  default:
    build_error(b, "this kind of value cannot be read from a portfolio");
    return true;
  }
}

/*
 * A record in schema order: the fields given, then defaults for the others.
 * Errors come in the order the JSON reader finds them in a portfolio written
 * in schema order: those inside the fields given, then the missing ones.
 */
static bool
build_record(Build *b, uint32_t rec, const Node *n, RegValue *out)
{
  const RegProgram *p = b->p;
  const RegRecord *r = &p->records[rec];
  RegValue *v = build_alloc(b, (reg_record_words(r) + 1) * sizeof(RegValue));
  if (!v)
    return false;
  if (b->json)
    reg_buf_addc(b->json, '{');
  bool first = true;
  size_t base = b->path->len;
  for (uint32_t i = 0; i < r->nfields; i++) {
    const RegField *f = reg_record_field(p, rec, i);
    const RegText *name = p->strings[f->name];
    const Node *k = n ? n->kids[i] : NULL;
    push_name(b, name);
    if (k && k->set) {
      json_key(b, &first, name);
      if (!build_value(b, f->type, f, k, &v[i]))
        return false;
    } else {
      v[i] = field_default(p, f);
      uint32_t kind = p->types[f->type].kind;
      if (f->flags & (REG_FIELD_REQUIRED | REG_FIELD_ASOF)) {
        /* required: missing (below); the evaluation date: the evaluator's */
      } else if (kind == REG_TK_RECORD) {
        if (!default_record(b, p->types[f->type].arg, &v[i], 0))
          return false;
        json_key(b, &first, name);
        if (b->json)
          reg_write_value(b->json, p, f->type, v[i]);
      } else {
        json_key(b, &first, name);
        if (b->json)
          reg_write_value(b->json, p, f->type, v[i]);
      }
    }
    g_string_truncate(b->path, base);
  }
  for (uint32_t i = 0; i < r->nfields && !b->err; i++) {
    const RegField *f = reg_record_field(p, rec, i);
    const Node *k = n ? n->kids[i] : NULL;
    if ((f->flags & REG_FIELD_REQUIRED) && !(k && k->set)) {
      push_name(b, p->strings[f->name]);
      build_error(b, "missing");
      g_string_truncate(b->path, base);
    }
  }
  if (b->json)
    reg_buf_addc(b->json, '}');
  out->p = v;
  return true;
}

/* Builds @in into @arena; returns the root or sets b->err. */
static bool
build_input(Build *b, RegInput *in, RegArena *arena, RegBuf *json, RegValue *root)
{
  memset(b, 0, sizeof *b);
  b->p = in->p;
  b->a = arena;
  b->json = json;
  b->path = g_string_new(NULL);
  bool ok = build_record(b, in->p->types[in->p->input_type].arg, &in->root, root);
  g_string_free(b->path, TRUE);
  return ok && !b->err;
}

char *
reg_input_to_json(RegInput *in)
{
  g_return_val_if_fail(in != NULL, NULL);
  RegArena arena;
  reg_arena_init(&arena, G_MAXSIZE);
  RegBuf json;
  reg_buf_init(&json);
  Build b;
  RegValue root;
  build_input(&b, in, &arena, &json, &root);
  g_free(b.err);
  reg_arena_clear(&arena);
  char *s = g_strndup(json.data ? json.data : "", json.len);
  reg_buf_clear(&json);
  return s;
}

static RegEvalError
error_code(RegEvaluator *ev, RegDecideStatus st)
{
  if (st != REG_DECIDE_RUNTIME)
    return REG_EVAL_ERROR_DATA;
  switch (ev->vm.status) {
  case REG_VM_BUDGET:
    return REG_EVAL_ERROR_BUDGET;
  case REG_VM_MEMORY:
    return REG_EVAL_ERROR_MEMORY;
  case REG_VM_FAIL:
    return REG_EVAL_ERROR_RUNTIME;
  default:
    return REG_EVAL_ERROR_ARITHMETIC;
  }
}

static void
set_last_error(RegEvaluator *ev, RegDecideStatus st, char *msg)
{
  ev->last = st;
  g_free(ev->error);
  ev->error = msg;
}

gboolean
reg_evaluator_decide_input(RegEvaluator *ev, RegInput *in, GString *out, GError **error)
{
  g_return_val_if_fail(ev != NULL && in != NULL, FALSE);
  const RegProgram *p = ev->p;
  if (in->p != ev->p && memcmp(in->p->sha256, p->sha256, sizeof p->sha256) != 0) {
    g_set_error(error, REG_EVAL_ERROR, REG_EVAL_ERROR_USAGE,
                "the portfolio was built for other criteria than the evaluator's");
    return FALSE;
  }
  reg_arena_reset(&ev->arena);
  ev->result.p = NULL;
  ev->reader.key = NULL;
  ev->scratch.len = 0;

  Build b;
  RegValue root;
  if (!build_input(&b, in, &ev->arena, ev->audit_fields ? &ev->scratch : NULL, &root)) {
    ev->reader.key = b.key;
    set_last_error(ev, REG_DECIDE_DATA, b.err ? b.err : g_strdup("the portfolio could not be built"));
    g_set_error(error, REG_EVAL_ERROR, REG_EVAL_ERROR_DATA, "%s", ev->error);
    return FALSE;
  }
  ev->reader.key = b.key;
  int64_t asof;
  if (!reg_evaluator_asof(ev, b.asof_set, b.asof, &asof)) {
    g_set_error(error, REG_EVAL_ERROR, REG_EVAL_ERROR_DATA, "%s", ev->error);
    return FALSE;
  }
  uint8_t digest[REG_SHA256_LEN];
  const uint8_t *sha = NULL;
  if (ev->audit_fields) {
    reg_sha256(ev->scratch.data, ev->scratch.len, digest);
    sha = digest;
  }
  ev->scratch.len = 0;
  RegDecideStatus st = reg_evaluator_decide_value(ev, root, asof, sha, 0, &ev->scratch);
  if (st != REG_DECIDE_OK) {
    g_set_error(error, REG_EVAL_ERROR, error_code(ev, st), "%s", ev->error);
    return FALSE;
  }
  if (out)
    g_string_append_len(out, ev->scratch.data, (gssize) ev->scratch.len);
  return TRUE;
}

/* ---- Decisions read by path ------------------------------------------------------ */

struct _RegDecision {
  gint refcount;
  RegProgram *p;
  uint32_t record; /* record of the output view */
  uint32_t type;   /* its type id */
  RegValue root;
  char *mem; /* every value of the decision, in one block */
};

/* Bytes a deep copy of @v takes. */
static size_t
copy_size(const RegProgram *p, uint32_t type, RegValue v)
{
  const RegType *t = &p->types[type];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_TEXT: {
    const RegText *s = v.p;
    return s ? (sizeof(RegText) + s->len + 1 + 7) & ~(size_t) 7 : 0;
  }
  case REG_TK_LIST: {
    const RegList *l = v.p;
    if (!l || l->len == 0)
      return 0;
    size_t n = sizeof(RegList) + l->len * sizeof(RegValue);
    for (uint32_t i = 0; i < l->len; i++)
      n += copy_size(p, t->arg, l->v[i]);
    return n;
  }
  case REG_TK_RECORD: {
    const RegValue *r = v.p;
    if (!r)
      return 0;
    const RegRecord *rec = &p->records[t->arg];
    size_t n = reg_record_words(rec) * sizeof(RegValue);
    uint64_t present = rec->noptional ? (uint64_t) r[rec->nfields].i : 0;
    uint32_t bit = 0;
    for (uint32_t i = 0; i < rec->nfields; i++) {
      const RegField *f = reg_record_field(p, t->arg, i);
      if ((f->flags & REG_FIELD_OPTIONAL) && !((present >> bit++) & 1))
        continue;
      n += copy_size(p, f->type, r[i]);
    }
    return n;
  }
  default:
    return 0;
  }
}

static RegValue
copy_value(const RegProgram *p, uint32_t type, RegValue v, char **mem)
{
  const RegType *t = &p->types[type];
  RegValue out = v;
  switch ((RegTypeKind) t->kind) {
  case REG_TK_TEXT: {
    const RegText *s = v.p;
    if (s) {
      RegText *c = (RegText *) (void *) *mem;
      *mem += (sizeof(RegText) + s->len + 1 + 7) & ~(size_t) 7;
      c->len = s->len;
      memcpy(c->s, s->s, s->len + 1);
      out.p = c;
    }
    return out;
  }
  case REG_TK_LIST: {
    const RegList *l = v.p;
    if (!l || l->len == 0) {
      out.p = l ? &reg_empty_list : NULL;
      return out;
    }
    RegList *c = (RegList *) (void *) *mem;
    *mem += sizeof(RegList) + l->len * sizeof(RegValue);
    c->len = c->cap = l->len;
    for (uint32_t i = 0; i < l->len; i++)
      c->v[i] = copy_value(p, t->arg, l->v[i], mem);
    out.p = c;
    return out;
  }
  case REG_TK_RECORD: {
    const RegValue *r = v.p;
    if (!r)
      return out;
    const RegRecord *rec = &p->records[t->arg];
    RegValue *c = (RegValue *) (void *) *mem;
    *mem += reg_record_words(rec) * sizeof(RegValue);
    uint64_t present = rec->noptional ? (uint64_t) r[rec->nfields].i : 0;
    uint32_t bit = 0;
    for (uint32_t i = 0; i < rec->nfields; i++) {
      const RegField *f = reg_record_field(p, t->arg, i);
      if ((f->flags & REG_FIELD_OPTIONAL) && !((present >> bit++) & 1)) {
        c[i].i = 0;
        continue;
      }
      c[i] = copy_value(p, f->type, r[i], mem);
    }
    if (rec->noptional)
      c[rec->nfields].i = (int64_t) present;
    out.p = c;
    return out;
  }
  default:
    return out;
  }
}

RegDecision *
reg_evaluator_get_decision(RegEvaluator *ev)
{
  g_return_val_if_fail(ev != NULL, NULL);
  if (ev->last != REG_DECIDE_OK || !ev->result.p)
    return NULL;
  RegProgram *p = ev->p;
  uint32_t rec = p->views[ev->result_view].record;
  uint32_t type = p->funcs[p->views[ev->result_view].func].ret_type;
  if (p->types[type].kind != REG_TK_RECORD || p->types[type].arg != rec) {
    for (type = 0; type < p->ntypes; type++)
      if (p->types[type].kind == REG_TK_RECORD && p->types[type].arg == rec)
        break;
    g_return_val_if_fail(type < p->ntypes, NULL);
  }
  RegDecision *d = g_new0(RegDecision, 1);
  d->refcount = 1;
  d->p = reg_program_ref(p);
  d->record = rec;
  d->type = type;
  size_t n = copy_size(p, type, ev->result);
  d->mem = g_malloc(n ? n : 1);
  char *m = d->mem;
  d->root = copy_value(p, type, ev->result, &m);
  g_assert((size_t) (m - d->mem) == n);
  return d;
}

RegDecision *
reg_decision_ref(RegDecision *d)
{
  g_return_val_if_fail(d != NULL, NULL);
  g_atomic_int_inc(&d->refcount);
  return d;
}

void
reg_decision_unref(RegDecision *d)
{
  if (!d || !g_atomic_int_dec_and_test(&d->refcount))
    return;
  g_free(d->mem);
  reg_program_unref(d->p);
  g_free(d);
}

RegProgram *
reg_decision_get_program(RegDecision *d)
{
  g_return_val_if_fail(d != NULL, NULL);
  return d->p;
}

char *
reg_decision_to_json(RegDecision *d)
{
  g_return_val_if_fail(d != NULL, NULL);
  RegBuf b;
  reg_buf_init(&b);
  reg_buf_addc(&b, '{');
  bool first = true;
  reg_write_record_fields(&b, d->p, d->record, d->root.p, &first);
  reg_buf_addc(&b, '}');
  char *s = g_strndup(b.data, b.len);
  reg_buf_clear(&b);
  return s;
}

typedef enum { FOUND, ABSENT, BAD } Lookup;

/* A walk along a decision's values (lookup_step). */
typedef struct {
  const RegProgram *p;
  const char *path;
  RegValue v;
  bool absent;
} ValueWalk;

static gboolean
lookup_step(void *data, const Seg *s, size_t prev, int64_t field, uint32_t from, uint32_t to,
            GError **error)
{
  ValueWalk *l = data;
  const RegProgram *p = l->p;
  (void) to;
  l->absent = true; /* unless the step succeeds */
  if (field >= 0) {
    uint32_t rec = p->types[from].arg;
    const RegValue *r = l->v.p;
    if (!r) {
      path_error(error, REG_EVAL_ERROR_USAGE, l->path, prev, "null");
      return FALSE;
    }
    if (reg_record_field(p, rec, (uint32_t) field)->flags & REG_FIELD_OPTIONAL) {
      uint64_t present = (uint64_t) r[p->records[rec].nfields].i;
      if (!((present >> reg_record_optional_bit(p, rec, (uint32_t) field)) & 1)) {
        path_error(error, REG_EVAL_ERROR_USAGE, l->path, s->end, "absent");
        return FALSE;
      }
    }
    l->v = r[field];
  } else {
    const RegList *list = l->v.p;
    uint32_t len = list ? list->len : 0;
    if (s->index >= len) {
      path_error(error, REG_EVAL_ERROR_USAGE, l->path, s->end,
                 "index out of range (the list has %u element%s)", len, len == 1 ? "" : "s");
      return FALSE;
    }
    l->v = list->v[s->index];
  }
  l->absent = false;
  return TRUE;
}

/* The value at @path; ABSENT (with @error set) for an absent optional field or an index out of range. */
static Lookup
decision_lookup(RegDecision *d, const char *path, uint32_t *type_out, RegValue *out,
                GError **error)
{
  ValueWalk l = { d->p, path, d->root, false };
  if (!walk_path(d->p, d->type, path, lookup_step, &l, type_out, error))
    return l.absent ? ABSENT : BAD;
  *out = l.v;
  return FOUND;
}

/* The value at @path, which must be of one of the @want kinds. */
static gboolean
decision_get(RegDecision *d, const char *path, unsigned want, const char *getter,
             uint32_t *type, RegValue *v, GError **error)
{
  if (decision_lookup(d, path, type, v, error) != FOUND)
    return FALSE;
  uint32_t kind = d->p->types[*type].kind;
  if (!(want & (1u << kind))) {
    char *what = type_desc(d->p, *type);
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "%s does not apply to %s", getter, what);
    g_free(what);
    return FALSE;
  }
  if ((kind == REG_TK_TEXT || kind == REG_TK_LIST || kind == REG_TK_RECORD) && !v->p) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "null");
    return FALSE;
  }
  return TRUE;
}

gboolean
reg_decision_has(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, FALSE);
  uint32_t type;
  RegValue v;
  GError *local = NULL;
  Lookup l = decision_lookup(d, path, &type, &v, &local);
  if (l == BAD) {
    g_propagate_error(error, local);
    return FALSE;
  }
  g_clear_error(&local);
  return l == FOUND;
}

RegKind
reg_decision_get_kind(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, REG_KIND_INVALID);
  return schema_kind(d->p, d->type, path, error);
}

const char *
reg_decision_get_text(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, NULL);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_TEXT) | KIND(REG_TK_ENUM), "reg_decision_get_text",
                    &type, &v, error))
    return NULL;
  const RegProgram *p = d->p;
  const RegType *t = &p->types[type];
  if (t->kind == REG_TK_TEXT)
    return ((const RegText *) v.p)->s;
  const RegEnum *e = &p->enums[t->arg];
  if (v.i < 0 || v.i >= (int64_t) e->nmembers) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path),
               "not a known member of %s (null in JSON)", reg_str(p, e->name));
    return NULL;
  }
  return reg_str(p, p->enum_members[e->first_member + (uint32_t) v.i]);
}

gboolean
reg_decision_get_bool(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, FALSE);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_BOOL), "reg_decision_get_bool", &type, &v, error))
    return FALSE;
  return v.i != 0;
}

gint64
reg_decision_get_int(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, 0);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_INT) | KIND(REG_TK_DEC), "reg_decision_get_int", &type,
                    &v, error))
    return 0;
  if (type == REG_TYPE_INT)
    return v.i;
  if (v.i % REG_DEC_SCALE != 0) {
    char buf[REG_DEC_FORMAT_MAX + 1];
    buf[reg_dec_format(v.i, buf)] = '\0';
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "%s is not a whole number", buf);
    return 0;
  }
  return v.i / REG_DEC_SCALE;
}

char *
reg_decision_get_decimal(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, NULL);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_INT) | KIND(REG_TK_DEC), "reg_decision_get_decimal",
                    &type, &v, error))
    return NULL;
  char buf[REG_DEC_FORMAT_MAX + 1];
  size_t n = type == REG_TYPE_INT ? reg_int_format(v.i, buf) : reg_dec_format(v.i, buf);
  return g_strndup(buf, n);
}

gboolean
reg_decision_get_decimal_units(RegDecision *d, const char *path, guint scale, gint64 *units,
                               GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL && units != NULL, FALSE);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_INT) | KIND(REG_TK_DEC),
                    "reg_decision_get_decimal_units", &type, &v, error))
    return FALSE;
  if (scale > 18) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path),
               "scale %u is more than 18 decimals", scale);
    return FALSE;
  }
  /* to millionths, then to the scale asked */
  int64_t m = v.i;
  if (type == REG_TYPE_INT && __builtin_mul_overflow(v.i, REG_DEC_SCALE, &m))
    goto range;
  int64_t pow10 = 1;
  if (scale >= REG_DEC_DIGITS) {
    for (guint i = REG_DEC_DIGITS; i < scale; i++)
      pow10 *= 10;
    if (__builtin_mul_overflow(m, pow10, &m))
      goto range;
  } else {
    for (guint i = scale; i < REG_DEC_DIGITS; i++)
      pow10 *= 10;
    if (m % pow10 != 0) {
      char buf[REG_DEC_FORMAT_MAX + 1];
      buf[reg_dec_format(m, buf)] = '\0';
      path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "%s has more than %u decimal%s",
                 buf, scale, scale == 1 ? "" : "s");
      return FALSE;
    }
    m /= pow10;
  }
  *units = m;
  return TRUE;
range:
  path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path),
             "the value does not fit in 64 bits at scale %u", scale);
  return FALSE;
}

char *
reg_decision_get_date(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, NULL);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_DATE), "reg_decision_get_date", &type, &v, error))
    return NULL;
  if (!reg_date_valid(v.i)) {
    path_error(error, REG_EVAL_ERROR_USAGE, path, strlen(path), "null (not a valid date)");
    return NULL;
  }
  char buf[REG_DATE_TEXT_LEN + 1];
  reg_date_format(v.i, buf);
  return g_strdup(buf);
}

guint
reg_decision_get_length(RegDecision *d, const char *path, GError **error)
{
  g_return_val_if_fail(d != NULL && path != NULL, 0);
  uint32_t type;
  RegValue v;
  if (!decision_get(d, path, KIND(REG_TK_LIST), "reg_decision_get_length", &type, &v, error))
    return 0;
  return ((const RegList *) v.p)->len;
}
