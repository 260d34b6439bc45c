/* vm.c: the dispatch loop of the register VM, with checked arithmetic and an instruction budget. */
#include <string.h>

#include "bytes-private.h"
#include "date-private.h"
#include "decimal-private.h"
#include "vm-private.h"

const RegList reg_empty_list = { 0, 0 };

void
reg_vm_init(RegVM *vm, const RegProgram *p, RegArena *arena)
{
  memset(vm, 0, sizeof *vm);
  vm->p = p;
  vm->arena = arena;
  vm->regs = g_new0(RegValue, p->frame_words + 1);
  vm->frames = g_new0(RegFrame, p->max_depth + 1);
  vm->globals = g_new0(RegValue, p->nglobals + 1);
  vm->gstate = g_new0(uint8_t, p->nglobals + 1);
  vm->tloop_exit = g_new0(uint32_t, (p->max_depth + 1) * 64);
  vm->tloop_depth = g_new0(uint32_t, (p->max_depth + 1) * 64);
  for (uint32_t i = 0; i < p->nfuncs && !vm->memo; i++)
    if (p->memo_func[i])
      vm->memo = g_new0(RegMemo, REG_MEMO_SLOTS);
  vm->memo_gen = 1;
}

void
reg_vm_clear(RegVM *vm)
{
  g_free(vm->regs);
  g_free(vm->frames);
  g_free(vm->globals);
  g_free(vm->gstate);
  g_free(vm->tloop_exit);
  g_free(vm->tloop_depth);
  g_free(vm->memo);
  memset(vm, 0, sizeof *vm);
}

void
reg_vm_begin(RegVM *vm, RegValue input, int64_t asof, int64_t budget)
{
  memset(vm->gstate, 0, vm->p->nglobals);
  vm->input = input;
  vm->asof = asof;
  vm->budget = budget;
  vm->status = REG_VM_OK;
  vm->err_msg = NULL;
  vm->ntloops = 0;
  /* forget the calls of the previous decision: its records and lists are gone */
  if (++vm->memo_gen == 0) {
    if (vm->memo)
      memset(vm->memo, 0, REG_MEMO_SLOTS * sizeof(RegMemo));
    vm->memo_gen = 1;
  }
}

static inline bool
text_eq(const RegText *a, const RegText *b)
{
  return a->len == b->len && reg_bytes_eq(a->s, b->s, a->len);
}

static inline int
text_cmp(const RegText *a, const RegText *b)
{
  uint32_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  if (c)
    return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

static const char *
status_text(RegVMStatus s)
{
  switch (s) {
  case REG_VM_OK:
    return "no error";
  case REG_VM_BUDGET:
    return "instruction budget exhausted";
  case REG_VM_MEMORY:
    return "memory limit of one decision reached";
  case REG_VM_OVERFLOW:
    return "number too large (overflow)";
  case REG_VM_DIVZERO:
    return "division by zero";
  case REG_VM_DATE:
    return "date out of range";
  case REG_VM_FAIL:
    return "runtime error";
  case REG_VM_CAPACITY:
    return "list grew beyond its room";
  case REG_VM_INTERNAL:
  default:
    return "internal error";
  }
}

char *
reg_vm_error_message(const RegVM *vm)
{
  const RegProgram *p = vm->p;
  const char *what = vm->status == REG_VM_FAIL && vm->err_msg ? vm->err_msg : status_text(vm->status);
  if (vm->err_func >= p->nfuncs)
    return g_strdup(what);
  const RegLoc *l = reg_insn_loc(p, vm->err_func, vm->err_pc);
  const char *fname = reg_str(p, p->funcs[vm->err_func].name);
  if (!l)
    return g_strdup_printf("%s in %s", what, fname);
  /* Code of small rules is inlined into their callers: name the rule by the line. */
  uint32_t best_line = 0;
  bool view = false;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const RegLoc *rl = &p->locs[p->rules[i].loc];
    if (rl->file == l->file && rl->line <= l->line && rl->line >= best_line) {
      best_line = rl->line;
      fname = reg_str(p, p->rules[i].name);
      view = p->rules[i].kind == REG_RULE_VIEW;
    }
  }
  return g_strdup_printf("%s:%u: %s in %s%s", reg_str(p, l->file), l->line, what,
                         view ? "uitvoer " : "", fname);
}

/* Reports a condition site: its value is recomputed from its operands when it is a comparison. */
static void
vm_trace_cond(RegVM *vm, const RegValue *R, int32_t site)
{
  const RegProgram *p = vm->p;
  const RegCond *c = &p->conds[site];
  if (!vm->trace->cond)
    return;
  uint32_t cmp = c->cmp & 0xff;
  if (cmp == REG_CMP_NONE) {
    const RegFunction *f = &p->funcs[c->func];
    uint64_t w = p->code[f->first_insn + c->pc];
    vm->trace->cond(vm->trace->data, (uint32_t) site, R[REG_INSN_A(w)].i != 0, NULL, NULL);
    return;
  }
  const RegValue *l = &R[c->lhs], *r = &R[c->rhs];
  int order;
  if (c->cmp & REG_CMP_TEXT) {
    const RegText *x = l->p, *y = r->p;
    order = (!x || !y) ? 0 : text_cmp(x, y);
  } else {
    order = l->i < r->i ? -1 : l->i > r->i;
  }
  bool v;
  switch (cmp) {
  case REG_CMP_EQ:
    v = order == 0;
    break;
  case REG_CMP_NE:
    v = order != 0;
    break;
  case REG_CMP_LT:
    v = order < 0;
    break;
  case REG_CMP_LE:
    v = order <= 0;
    break;
  case REG_CMP_GT:
    v = order > 0;
    break;
  default:
    v = order >= 0;
    break;
  }
  vm->trace->cond(vm->trace->data, (uint32_t) site, v, l, r);
}

/* Reports the site of a fused jump that jumps (@j) or not: its condition's value follows. */
static void
vm_trace_fused(RegVM *vm, const RegValue *R, int32_t site, bool j)
{
  const RegCond *c = &vm->p->conds[site];
  if (!vm->trace->cond)
    return;
  bool value = (c->cmp & REG_CMP_NEGATED) ? !j : j;
  if ((c->cmp & 0xff) != REG_CMP_NONE)
    vm->trace->cond(vm->trace->data, (uint32_t) site, value, &R[c->lhs], &R[c->rhs]);
  else
    vm->trace->cond(vm->trace->data, (uint32_t) site, value, NULL, NULL);
}

/* NEXTP asks the cache for the element this many places after the next: far enough for the
 * memory to answer while the loop body runs (bench/RESULTS.md, evaluation only). */
#define VM_FETCH_AHEAD 6

/* Operand @k (1: a, 2: b, 3: c) of the instruction at @ins: the 16 bits REG_INSN_A/B/C take
 * from the word, read from memory (little-endian only). */
static inline unsigned
vm_operand(const uint64_t *ins, unsigned k)
{
  uint16_t v;
  memcpy(&v, (const char *) ins + 2 * k, sizeof v);
  return v;
}

/* The plain loop uses GCC's labels as values (threaded dispatch) where available. */
#if REG_VM_THREADED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#define VM_THREADED 1
#else
#define VM_THREADED 0
#endif
#define VM_TRACE 0
#define VM_RUN vm_run_plain
#include "vm-loop.h"
#undef VM_TRACE
#undef VM_RUN
#undef VM_THREADED
#if REG_VM_THREADED
#pragma GCC diagnostic pop
#endif

#define VM_THREADED 0
#define VM_TRACE 1
#define VM_RUN vm_run_trace
#include "vm-loop.h"
#undef VM_TRACE
#undef VM_RUN
#undef VM_THREADED

RegVMStatus
reg_vm_call(RegVM *vm, uint32_t func, const RegValue *args, RegValue *out)
{
  const RegProgram *p = vm->p;
  if (func >= p->nfuncs)
    return vm->status = REG_VM_INTERNAL;
  /* untraced: the body with the rules inlined that explanations would name (verified to
   * take the same parameters and give the same type) */
  return vm->trace ? vm_run_trace(vm, func, args, out)
                   : vm_run_plain(vm, p->plain_of[func], args, out);
}
