/* vm-private.h: the register VM that runs verified programs, one evaluation at a time. */
#pragma once

#include "arena-private.h"
#include "program-private.h"

typedef enum {
  REG_VM_OK = 0,
  REG_VM_BUDGET,   /* instruction budget exhausted */
  REG_VM_MEMORY,   /* the decision's memory limit */
  REG_VM_OVERFLOW, /* decimal or integer overflow */
  REG_VM_DIVZERO,
  REG_VM_DATE,     /* date arithmetic out of range */
  REG_VM_FAIL,     /* FAIL instruction: message in err_msg */
  REG_VM_CAPACITY, /* list pushed beyond its room */
  REG_VM_INTERNAL, /* should not happen after verification */
} RegVMStatus;

typedef struct {
  uint32_t func, pc, base;
  uint32_t dst;    /* absolute register index for the result */
  uint32_t global; /* global to fill on return, or REG_NONE */
  uint32_t memo;   /* memo entry to fill on return, + 1; 0 for none */
} RegFrame;

/* A remembered call: function and arguments (by value; records and lists by identity,
 * which within one decision means the same value), and its result. */
typedef struct {
  uint32_t gen;  /* the decision it belongs to (RegVM.memo_gen) */
  uint32_t func; /* + 1; 0: free */
  bool done;     /* the result is in (else the call is running) */
  RegValue args[REG_MEMO_ARGS];
  RegValue result;
} RegMemo;

#define REG_MEMO_SLOTS 2048 /* a power of two */
#define REG_MEMO_PROBES 8

/* Trace events (for explanations and coverage); NULL hooks cost nothing. */
typedef struct {
  void (*enter)(void *data, uint32_t func, const RegValue *args);
  void (*leave)(void *data, uint32_t func, RegValue result);
  /* A condition site produced @value; @b and @c are the compared operands, if any. */
  void (*cond)(void *data, uint32_t cond, bool value, const RegValue *b, const RegValue *c);
  /* A loop of the current function starts (over @list) or ends. */
  void (*loop)(void *data, bool enter, const RegList *list);
  /* The current function reads global @global (a parameter or parameterless rule). */
  void (*global)(void *data, uint32_t global);
  void *data;
} RegTraceHooks;

typedef struct {
  const RegProgram *p;
  RegArena *arena;
  RegValue *regs;
  RegFrame *frames;
  RegValue *globals;
  uint8_t *gstate; /* 0 not computed, 1 computing, 2 done */
  RegValue input;
  int64_t asof;
  int64_t budget;
  const RegTraceHooks *trace;
  uint32_t *tloop_exit, *tloop_depth; /* open loops, when tracing */
  uint32_t ntloops;
  RegMemo *memo;     /* calls remembered in this decision (untraced runs only), or NULL */
  uint32_t memo_gen; /* entries of other generations are free */

  /* the error of the last run */
  RegVMStatus status;
  uint32_t err_func, err_pc;
  const char *err_msg;
} RegVM;

void reg_vm_init(RegVM *vm, const RegProgram *p, RegArena *arena);
void reg_vm_clear(RegVM *vm);
/* Starts a new evaluation: forgets cached rules. */
void reg_vm_begin(RegVM *vm, RegValue input, int64_t asof, int64_t budget);
/* Runs function @func on @args; the result in *@out. */
RegVMStatus reg_vm_call(RegVM *vm, uint32_t func, const RegValue *args, RegValue *out);
/* "file:line: <what went wrong> in <function>" for the last error; free with g_free(). */
char *reg_vm_error_message(const RegVM *vm);

extern const RegList reg_empty_list;
