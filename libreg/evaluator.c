/* evaluator.c: deciding one portfolio: read it, check requirements, run the output, write JSON. */
#include <string.h>

#include "date-private.h"
#include "decimal-private.h"
#include "evaluator-private.h"
#include "sha256-private.h"
#include "value-json-private.h"

RegEvaluator *
reg_evaluator_new(RegProgram *program)
{
  g_return_val_if_fail(program != NULL, NULL);
  RegEvaluator *ev = g_new0(RegEvaluator, 1);
  ev->p = reg_program_ref(program);
  reg_arena_init(&ev->arena, 0);
  reg_vm_init(&ev->vm, program, &ev->arena);
  reg_reader_init(&ev->reader, program);
  reg_buf_init(&ev->scratch);
  ev->view = program->default_view;
  reg_reader_mark_unread(&ev->reader, ev->view);
  ev->audit_fields = true;
  ev->budget = REG_DEFAULT_BUDGET;
  return ev;
}

void
reg_evaluator_free(RegEvaluator *ev)
{
  if (!ev)
    return;
  reg_vm_clear(&ev->vm);
  reg_reader_clear(&ev->reader);
  reg_arena_clear(&ev->arena);
  reg_buf_clear(&ev->scratch);
  reg_explain_free(ev->explain);
  g_free(ev->error);
  reg_program_unref(ev->p);
  g_free(ev);
}

gboolean
reg_evaluator_set_as_of(RegEvaluator *ev, const char *date, GError **error)
{
  g_return_val_if_fail(ev != NULL, FALSE);
  if (!date) {
    ev->has_asof = false;
    return TRUE;
  }
  int64_t d;
  if (!reg_date_parse(date, strlen(date), &d)) {
    g_set_error(error, REG_EVAL_ERROR, REG_EVAL_ERROR_USAGE, "'%s' is not a date (YYYY-MM-DD)",
                date);
    return FALSE;
  }
  ev->asof = d;
  ev->has_asof = true;
  return TRUE;
}

gboolean
reg_evaluator_set_view(RegEvaluator *ev, const char *name, GError **error)
{
  g_return_val_if_fail(ev != NULL && name != NULL, FALSE);
  const RegProgram *p = ev->p;
  for (uint32_t i = 0; i < p->nviews; i++) {
    if (strcmp(reg_str(p, p->views[i].name), name) == 0) {
      ev->view = i;
      reg_reader_mark_unread(&ev->reader, i);
      return TRUE;
    }
  }
  g_set_error(error, REG_EVAL_ERROR, REG_EVAL_ERROR_USAGE, "the criteria have no output '%s'",
              name);
  return FALSE;
}

void
reg_evaluator_set_audit_fields(RegEvaluator *ev, gboolean audit)
{
  g_return_if_fail(ev != NULL);
  ev->audit_fields = audit;
}

void
reg_evaluator_set_explain_style(RegEvaluator *ev, RegExplainStyle style)
{
  g_return_if_fail(ev != NULL);
  reg_evaluator_set_explain(ev, style != REG_EXPLAIN_NONE);
  ev->explain_style = style;
}

void
reg_evaluator_set_explain(RegEvaluator *ev, gboolean explain)
{
  g_return_if_fail(ev != NULL);
  ev->explain_style = explain ? REG_EXPLAIN_TRACE : REG_EXPLAIN_NONE;
  if (explain && !ev->explain) {
    ev->explain = reg_explain_new(ev->p);
    ev->vm.trace = reg_explain_hooks(ev->explain);
  } else if (!explain && ev->explain) {
    reg_explain_free(ev->explain);
    ev->explain = NULL;
    ev->vm.trace = NULL;
  }
}

void
reg_evaluator_set_trace(RegEvaluator *ev, const RegTraceHooks *hooks)
{
  reg_evaluator_set_explain(ev, FALSE);
  ev->vm.trace = hooks;
}

void
reg_evaluator_set_budget(RegEvaluator *ev, guint64 instructions)
{
  g_return_if_fail(ev != NULL);
  ev->budget = instructions > (guint64) INT64_MAX ? INT64_MAX : (int64_t) instructions;
}

void
reg_evaluator_set_memory_limit(RegEvaluator *ev, gsize bytes)
{
  g_return_if_fail(ev != NULL);
  ev->arena.limit = bytes ? bytes : REG_ARENA_DEFAULT_LIMIT;
}

static void
set_error(RegEvaluator *ev, char *msg)
{
  g_free(ev->error);
  ev->error = msg;
}

static void
write_error_line(RegEvaluator *ev, uint64_t lineno, const char *msg, RegBuf *out)
{
  reg_buf_addc(out, '{');
  bool comma = false;
  if (lineno) {
    reg_buf_lit(out, "\"line\":");
    reg_buf_commit(out, reg_int_format((int64_t) lineno, reg_buf_reserve(out, 24)));
    comma = true;
  }
  const RegText *key = ev->reader.key;
  if (key) {
    if (comma)
      reg_buf_addc(out, ',');
    reg_buf_lit(out, "\"teacher\":");
    reg_buf_json_string(out, key->s, key->len);
    comma = true;
  }
  if (comma)
    reg_buf_addc(out, ',');
  reg_buf_lit(out, "\"error\":");
  reg_buf_json_string(out, msg, strlen(msg));
  if (ev->last == REG_DECIDE_MALFORMED && ev->reader.detail.len) {
    reg_buf_lit(out, ",\"detail\":");
    reg_buf_json_string(out, ev->reader.detail.data, ev->reader.detail.len);
  }
  reg_buf_addc(out, '}');
}

static const char *
asof_field_name(const RegProgram *p)
{
  for (uint32_t i = 0; i < p->nfields; i++)
    if (p->fields[i].flags & REG_FIELD_ASOF)
      return reg_str(p, p->fields[i].name);
  return "as_of";
}

/* Runs the requirements and the output view on a portfolio already in the arena. */
RegDecideStatus
reg_evaluator_decide_value(RegEvaluator *ev, RegValue input, int64_t asof, const uint8_t *sha,
                           uint64_t lineno, RegBuf *out)
{
  const RegProgram *p = ev->p;
  RegVM *vm = &ev->vm;
  reg_vm_begin(vm, input, asof, ev->budget);
  if (ev->explain)
    reg_explain_reset(ev->explain);
  RegValue r;
  for (uint32_t i = 0; i < p->nchecks; i++) {
    if (reg_vm_call(vm, p->checks[i].func, NULL, &r) != REG_VM_OK)
      goto runtime;
    if (!r.i) {
      ev->last = REG_DECIDE_DATA;
      set_error(ev, g_strdup(reg_str(p, p->checks[i].message)));
      write_error_line(ev, lineno, ev->error, out);
      return ev->last;
    }
  }
  const RegView *view = &p->views[ev->view];
  if (reg_vm_call(vm, view->func, NULL, &r) != REG_VM_OK)
    goto runtime;
  ev->result = r;
  ev->result_view = ev->view;

  reg_buf_addc(out, '{');
  bool first = true;
  reg_write_record_fields(out, p, view->record, r.p, &first);
  if (ev->explain) {
    if (!first)
      reg_buf_addc(out, ',');
    first = false;
    if (ev->explain_style == REG_EXPLAIN_TEXTS) {
      reg_buf_lit(out, "\"uitleg\":");
      reg_explain_write_teacher(ev->explain, out);
    } else {
      reg_buf_lit(out, "\"explain\":");
      reg_explain_write(ev->explain, out);
    }
  }
  if (ev->audit_fields) {
    if (!first)
      reg_buf_addc(out, ',');
    reg_buf_lit(out, "\"ruleset\":{\"name\":");
    const RegText *name = p->strings[p->name], *version = p->strings[p->version];
    reg_buf_json_string(out, name->s, name->len);
    reg_buf_lit(out, ",\"version\":");
    reg_buf_json_string(out, version->s, version->len);
    reg_buf_lit(out, ",\"sha256\":\"");
    reg_buf_add(out, p->sha256_hex, 64);
    reg_buf_lit(out, "\"},\"input_sha256\":\"");
    char hex[65];
    reg_sha256_hex(sha, hex);
    reg_buf_add(out, hex, 64);
    reg_buf_lit(out, "\",\"engine\":\"libreg " REG_VERSION_STRING "\"");
  }
  reg_buf_addc(out, '}');
  ev->last = REG_DECIDE_OK;
  return REG_DECIDE_OK;

runtime:
  ev->last = REG_DECIDE_RUNTIME;
  set_error(ev, reg_vm_error_message(vm));
  write_error_line(ev, lineno, ev->error, out);
  return ev->last;
}

/* The evaluation date of a portfolio: its own, else the evaluator's. */
bool
reg_evaluator_asof(RegEvaluator *ev, bool have_own, int64_t own, int64_t *asof)
{
  if (have_own)
    *asof = own;
  else if (ev->has_asof)
    *asof = ev->asof;
  else {
    ev->last = REG_DECIDE_DATA;
    set_error(ev, g_strdup_printf("%s: missing (and no --as-of given)", asof_field_name(ev->p)));
    return false;
  }
  return true;
}

RegDecideStatus
reg_evaluator_decide_line(RegEvaluator *ev, const char *line, size_t len, const uint8_t *sha,
                          uint64_t lineno, RegBuf *out)
{
  RegValue input;
  reg_arena_reset(&ev->arena);
  ev->result.p = NULL;
  /* texts no run reads are left uncopied, but for traced runs (explanations show fields) */
  ev->reader.skip_unread = ev->vm.trace == NULL;
  RegReadStatus rs = reg_reader_read(&ev->reader, &ev->arena, line, len, &input);
  if (rs != REG_READ_OK) {
    ev->last = rs == REG_READ_MALFORMED ? REG_DECIDE_MALFORMED : REG_DECIDE_DATA;
    set_error(ev, g_strndup(ev->reader.err.data, ev->reader.err.len));
    write_error_line(ev, lineno, ev->error, out);
    return ev->last;
  }
  int64_t asof = 0;
  if (!reg_evaluator_asof(ev, ev->reader.asof_set, ev->reader.asof, &asof)) {
    write_error_line(ev, lineno, ev->error, out);
    return ev->last;
  }
  uint8_t digest[REG_SHA256_LEN];
  if (!sha && ev->audit_fields) {
    reg_sha256(line, len, digest);
    sha = digest;
  }
  return reg_evaluator_decide_value(ev, input, asof, sha, lineno, out);
}

gboolean
reg_evaluator_decide_json(RegEvaluator *ev, const char *json, gssize len, GString *out,
                          GError **error)
{
  g_return_val_if_fail(ev != NULL && json != NULL && out != NULL, FALSE);
  size_t n = len < 0 ? strlen(json) : (size_t) len;
  ev->scratch.len = 0;
  RegDecideStatus st = reg_evaluator_decide_line(ev, json, n, NULL, 0, &ev->scratch);
  if (st != REG_DECIDE_OK) {
    g_set_error(error, REG_EVAL_ERROR,
                st == REG_DECIDE_RUNTIME ? (ev->vm.status == REG_VM_BUDGET   ? REG_EVAL_ERROR_BUDGET
                                            : ev->vm.status == REG_VM_MEMORY ? REG_EVAL_ERROR_MEMORY
                                            : ev->vm.status == REG_VM_FAIL
                                              ? REG_EVAL_ERROR_RUNTIME
                                              : REG_EVAL_ERROR_ARITHMETIC)
                                         : REG_EVAL_ERROR_DATA,
                "%s", ev->error);
    return FALSE;
  }
  g_string_append_len(out, ev->scratch.data, (gssize) ev->scratch.len);
  return TRUE;
}

const char *
reg_evaluator_get_key(RegEvaluator *ev)
{
  g_return_val_if_fail(ev != NULL, NULL);
  return ev->reader.key ? ev->reader.key->s : NULL;
}
