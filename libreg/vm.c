/* vm.c: the dispatch loop of the register VM, with checked arithmetic and an instruction budget. */
#include <string.h>

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
}

static inline bool
text_eq(const RegText *a, const RegText *b)
{
  return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
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
  return g_strdup_printf("%s:%u: %s in %s", reg_str(p, l->file), l->line, what, fname);
}

#define VM_TRACE 0
#define VM_RUN vm_run_plain
#include "vm-loop.h"
#undef VM_TRACE
#undef VM_RUN

#define VM_TRACE 1
#define VM_RUN vm_run_trace
#include "vm-loop.h"
#undef VM_TRACE
#undef VM_RUN

RegVMStatus
reg_vm_call(RegVM *vm, uint32_t func, const RegValue *args, RegValue *out)
{
  const RegProgram *p = vm->p;
  if (func >= p->nfuncs)
    return vm->status = REG_VM_INTERNAL;
  return vm->trace ? vm_run_trace(vm, func, args, out) : vm_run_plain(vm, func, args, out);
}
