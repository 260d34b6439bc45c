/* explain-private.h: records why a decision came out as it did, from the VM's trace events. */
#pragma once

#include "buf-private.h"
#include "vm-private.h"

typedef struct RegExplain RegExplain;

RegExplain *reg_explain_new(const RegProgram *p);
void reg_explain_free(RegExplain *e);
/* Forgets the last decision's trace. */
void reg_explain_reset(RegExplain *e);
/* The hooks to install in the VM while deciding. */
const RegTraceHooks *reg_explain_hooks(RegExplain *e);
/* Appends the trace as a JSON array. */
void reg_explain_write(RegExplain *e, RegBuf *out);
/* Appends, as a JSON array of texts, the 'uitleg' of every rule that held false. */
void reg_explain_write_teacher(RegExplain *e, RegBuf *out);
