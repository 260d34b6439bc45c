/* vm-loop.h: the VM's dispatch loop, included twice by vm.c (with and without tracing). */

/* Frame layout: registers of the active call chain are contiguous in vm->regs;
 * a call puts the callee's frame right after the caller's. The verifier has
 * bounded the chain (frame_words, max_depth), so no check is needed here. */

#if VM_THREADED
#define VM_OP(name) vm_op_##name:
#define VM_GOTO goto *vm_labels[REG_INSN_OP(*ip)]
/* Operands are taken where a handler uses them: decoding all three before the jump would
 * cost every instruction the fields it does not have. On a little-endian machine each is
 * one 16-bit load from the instruction in memory, instead of a shift and a mask. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define a vm_operand(ip, 1)
#define b vm_operand(ip, 2)
#define c vm_operand(ip, 3)
#else
#define a REG_INSN_A(*ip)
#define b REG_INSN_B(*ip)
#define c REG_INSN_C(*ip)
#endif
#define VM_NEXT                                                                            \
  do {                                                                                     \
    ip++;                                                                                  \
    VM_GOTO;                                                                               \
  } while (0)
/* The place in the code: threaded, a pointer to the instruction (one register, stepped by
 * one add); else its index. VM_PC is the index, VM_WORD the instruction, VM_JUMP(x) goes to
 * index x. */
#define VM_PC ((uint32_t) (ip - code))
#define VM_WORD (*ip)
#define VM_JUMP(x) (ip = code + (x))
#else
#define VM_OP(name) case REG_OP_##name:
#define VM_GOTO continue
#define VM_NEXT break
#define VM_PC pc
#define VM_WORD (code[pc])
#define VM_JUMP(x) (pc = (x))
#endif

/* Traced runs execute the code as verified; untraced runs its copy with run forms
 * (opcodes-private.h), which do the same. */
#if VM_TRACE
#define VM_CODE p->code
#else
#define VM_CODE p->run_code
#endif

/* The conditions of the compare-and-jumps that jump pairs start with, and a field load:
 * one definition for the base handlers and the pairs. */
#define VM_IF_JEQ (R[a].i == R[b].i)
#define VM_IF_JNE (R[a].i != R[b].i)
#define VM_IF_JLT (R[a].i < R[b].i)
#define VM_IF_JLE (R[a].i <= R[b].i)
#define VM_IF_JFF (!((const RegValue *) R[a].p)[b].i)
#define VM_IF_JTF (((const RegValue *) R[a].p)[b].i != 0)
#define VM_DO_GETF (R[a] = ((const RegValue *) R[b].p)[c])

#if VM_TRACE
/* A condition site at a JF or JT: its value is the tested register's (the compiler
 * records whether it jumps on false). */
#define VM_SITE_JUMP(jumps)                                                                \
  do {                                                                                     \
    int32_t site_ = p->cond_at[f->first_insn + pc];                                        \
    if (site_ >= 0)                                                                        \
      vm_trace_fused(vm, R, site_, (jumps) != 0);                                          \
  } while (0)
#endif

/* The registers of a frame entered: cleared when tracing (for a reader of the trace) and
 * for functions the verifier marked (clear_func: an optional record field's register may
 * be read unwritten); the verifier proves every other register written before it is read. */
#if VM_TRACE
#define VM_CLEAR_FRAME(fi, regs, n) memset((regs), 0, (n) * sizeof(RegValue))
#else
#define VM_CLEAR_FRAME(fi, regs, n)                                                        \
  do {                                                                                     \
    if (p->clear_func[fi])                                                                 \
      memset((regs), 0, (n) * sizeof(RegValue));                                           \
  } while (0)
#endif

#define VM_ERR(st)                                                                         \
  do {                                                                                     \
    vm->status = (st);                                                                     \
    vm->err_func = func;                                                                   \
    vm->err_pc = VM_PC;                                                                    \
    vm->budget = budget;                                                                   \
    return vm->status;                                                                     \
  } while (0)

static RegVMStatus
VM_RUN(RegVM *vm, uint32_t func, const RegValue *args, RegValue *out)
{
  const RegProgram *p = vm->p;
  const RegFunction *f = &p->funcs[func];
  RegValue *R = vm->regs;
  uint32_t base = 0, depth = 0;
  const uint64_t *code = VM_CODE + f->first_insn;
#if VM_THREADED
  const uint64_t *ip = code;
#else
  uint32_t pc = 0;
#endif
  int64_t budget = vm->budget - (int64_t) f->ninsns;

  memset(R, 0, f->nregs * sizeof(RegValue));
  if (f->nparams)
    memcpy(R, args, f->nparams * sizeof(RegValue));
  if (budget < 0)
    VM_ERR(REG_VM_BUDGET);
#if VM_TRACE
  if (vm->trace->enter)
    vm->trace->enter(vm->trace->data, func, R);
#endif

#if VM_THREADED
  /* Threaded dispatch: each instruction ends with its own indirect jump, which the
   * branch predictor learns per instruction instead of for one shared switch. */
  static const void *const vm_labels[REG_OP__RUN_END] = {
#define REG_OP_LABEL(name, ka, kb, kc, meaning) &&vm_op_##name,
    REG_OPCODES(REG_OP_LABEL)
#undef REG_OP_LABEL
#define REG_RUN_OP_LABEL(name, base, meaning) [REG_OP_##name] = &&vm_op_##name,
    REG_RUN_OPCODES(REG_RUN_OP_LABEL)
#undef REG_RUN_OP_LABEL
#define REG_RUN_PAIR_LABEL(x, y) [REG_OP_##x##_##y] = &&vm_op_##x##_##y,
    REG_RUN_PAIRS(REG_RUN_PAIR_LABEL)
    REG_RUN_JUMP_PAIRS(REG_RUN_PAIR_LABEL)
#undef REG_RUN_PAIR_LABEL
#define REG_RUN_TRIPLE_LABEL(x, y, z) [REG_OP_##x##_##y##_##z] = &&vm_op_##x##_##y##_##z,
    REG_RUN_TRIPLES(REG_RUN_TRIPLE_LABEL)
#undef REG_RUN_TRIPLE_LABEL
#define REG_RUN_QUAD_LABEL(x, y, z, u) [REG_OP_##x##_##y##_##z##_##u] = &&vm_op_##x##_##y##_##z##_##u,
    REG_RUN_QUADS(REG_RUN_QUAD_LABEL)
#undef REG_RUN_QUAD_LABEL
#define REG_RUN_NEXT_LABEL(y) [REG_OP_NEXTP_##y] = &&vm_op_NEXTP_##y,
    REG_RUN_NEXTS(REG_RUN_NEXT_LABEL)
#undef REG_RUN_NEXT_LABEL
    [REG_OP_GETF_JLT_JLE_NEXT] = &&vm_op_GETF_JLT_JLE_NEXT,
    [REG_OP_GETF_JLT_JLE_JLT_NEXT] = &&vm_op_GETF_JLT_JLE_JLT_NEXT,
  };
  VM_GOTO;
  {
    {
#else
  for (;;) {
#if VM_TRACE
    /* loops left by a forward jump past their end */
    while (vm->ntloops && vm->tloop_depth[vm->ntloops - 1] == depth &&
           pc >= vm->tloop_exit[vm->ntloops - 1]) {
      vm->ntloops--;
      if (vm->trace->loop)
        vm->trace->loop(vm->trace->data, false, NULL);
    }
#endif
    const uint64_t w = code[pc];
    const unsigned a = REG_INSN_A(w), b = REG_INSN_B(w), c = REG_INSN_C(w);
    switch ((RegOpcode) REG_INSN_OP(w)) {
#endif
    VM_OP(NOP)
      VM_NEXT;
    VM_OP(MOVE)
      R[a] = R[b];
      VM_NEXT;
    VM_OP(LOADK)
      R[a].i = p->consts[b];
      VM_NEXT;
#if VM_THREADED
    VM_OP(LOADKS)
      /* a run of constants (a prologue's): one dispatch for all */
      R[a].i = p->consts[b];
      while (REG_INSN_OP(ip[1]) == REG_OP_LOADK) {
        ip++;
        R[a].i = p->consts[b];
      }
      VM_NEXT;
#endif
    VM_OP(LOADS)
      R[a].p = p->strings[b];
      VM_NEXT;
    VM_OP(LOADEMPTY)
      R[a].p = &reg_empty_list;
      VM_NEXT;
    VM_OP(LOADINPUT)
      R[a] = vm->input;
      VM_NEXT;
    VM_OP(LOADDATE)
      R[a].i = vm->asof;
      VM_NEXT;
    VM_OP(GLOBAL) {
#if VM_TRACE
      if (vm->trace->global)
        vm->trace->global(vm->trace->data, b);
#endif
      if (vm->gstate[b] == 2) {
        R[a] = vm->globals[b];
        VM_NEXT;
      }
      if (vm->gstate[b] == 1)
        VM_ERR(REG_VM_INTERNAL);
      vm->gstate[b] = 1;
      uint32_t callee = p->globals[b].func;
      const RegFunction *cf = &p->funcs[callee];
      budget -= cf->ninsns;
      if (budget < 0)
        VM_ERR(REG_VM_BUDGET);
      uint32_t nb = base + f->nregs;
      vm->frames[depth++] = (RegFrame){ func, VM_PC + 1, base, base + a, b, 0 };
      func = callee;
      f = cf;
      base = nb;
      R = vm->regs + base;
      VM_CLEAR_FRAME(callee, R, f->nregs);
      code = VM_CODE + f->first_insn;
      VM_JUMP(0);
#if VM_TRACE
      if (vm->trace->enter)
        vm->trace->enter(vm->trace->data, func, R);
#endif
      VM_GOTO;
    }
#if VM_THREADED
    /* The run forms (opcodes-private.h). VM_ENTER(y): the instruction at pc, whose handler
     * is known to be y's, without the table; VM_TAKE: a compare-and-jump's jump, through
     * the table. */
#define VM_ENTER(y) goto vm_op_##y
#define VM_TAKE                                                                            \
  do {                                                                                     \
    VM_JUMP(c);                                                                            \
    VM_GOTO;                                                                               \
  } while (0)
    /* pairs: X's work, then straight to the handler of the next instruction, Y; a cached
     * rule not computed yet takes GLOBAL's own way */
#define VM_PAIR_GETF(y)                                                                    \
  VM_DO_GETF;                                                                              \
  ip++;                                                                                    \
  VM_ENTER(y);
#define VM_PAIR_GLOBAL(y)                                                                  \
  if (vm->gstate[b] != 2)                                                                  \
    goto vm_op_GLOBAL;                                                                     \
  R[a] = vm->globals[b];                                                                   \
  ip++;                                                                                    \
  VM_ENTER(y);
#define VM_RUN_PAIR(x, y) VM_OP(x##_##y) VM_PAIR_##x(y)
    REG_RUN_PAIRS(VM_RUN_PAIR)
#undef VM_RUN_PAIR
    /* jump pairs: X's jump, or straight on to the handler of Y's run form */
#define VM_RUN_JUMP_PAIR(x, y)                                                             \
  VM_OP(x##_##y)                                                                           \
    if (VM_IF_##x)                                                                         \
      VM_TAKE;                                                                             \
    ip++;                                                                                  \
    VM_ENTER(y);
    REG_RUN_JUMP_PAIRS(VM_RUN_JUMP_PAIR)
#undef VM_RUN_JUMP_PAIR
    /* triples: a field load and two compare-and-jumps, each with its own word; quads: two
     * loads and tests. @taken is where a jump goes */
#define VM_TRIPLE_BODY(x, y, z, taken)                                                     \
  VM_DO_##x;                                                                               \
  ++ip;                                                                                    \
  if (VM_IF_##y)                                                                           \
    taken;                                                                                 \
  ++ip;                                                                                    \
  if (VM_IF_##z)                                                                           \
    taken;                                                                                 \
  VM_NEXT;
#define VM_RUN_TRIPLE(x, y, z) VM_OP(x##_##y##_##z) VM_TRIPLE_BODY(x, y, z, VM_TAKE)
    REG_RUN_TRIPLES(VM_RUN_TRIPLE)
#undef VM_RUN_TRIPLE
#define VM_RUN_QUAD(x, y, z, u)                                                            \
  VM_OP(x##_##y##_##z##_##u)                                                               \
    VM_DO_##x;                                                                             \
    ++ip;                                                                                  \
    if (VM_IF_##y)                                                                         \
      VM_TAKE;                                                                             \
    ++ip;                                                                                  \
    VM_DO_##z;                                                                             \
    ++ip;                                                                                  \
    if (VM_IF_##u)                                                                         \
      VM_TAKE;                                                                             \
    VM_NEXT;
    REG_RUN_QUADS(VM_RUN_QUAD)
#undef VM_RUN_QUAD
    /* the triple that starts a loop body and whose jumps go to the loop's NEXTP */
#define VM_TO_NEXT                                                                         \
  do {                                                                                     \
    VM_JUMP(c);                                                                            \
    VM_ENTER(NEXTP_GETF_JLT_JLE_NEXT);                                                     \
  } while (0)
    VM_OP(GETF_JLT_JLE_NEXT)
      VM_TRIPLE_BODY(GETF, JLT, JLE, VM_TO_NEXT)
#undef VM_TO_NEXT
    /* and with a third JLT to the NEXTP: the three comparisons read only registers (each
     * written before the first of them, as the verifier proved for the ones after it), so
     * they are made together, with one branch */
    VM_OP(GETF_JLT_JLE_JLT_NEXT) {
      VM_DO_GETF;
      ++ip;
      bool drop = VM_IF_JLT;
      ++ip;
      drop |= VM_IF_JLE;
      ++ip;
      drop |= VM_IF_JLT;
      if (drop) {
        VM_JUMP(c); /* (the three jumps' target) */
        VM_ENTER(NEXTP_GETF_JLT_JLE_JLT_NEXT);
      }
      VM_NEXT;
    }
#undef VM_TRIPLE_BODY
#undef VM_TAKE
#undef VM_PAIR_GLOBAL
#undef VM_PAIR_GETF
#endif
    VM_OP(GETF)
      VM_DO_GETF;
      VM_NEXT;
    VM_OP(NOT)
      R[a].i = !R[b].i;
      VM_NEXT;
    VM_OP(EQ)
      R[a].i = R[b].i == R[c].i;
      VM_NEXT;
    VM_OP(NE)
      R[a].i = R[b].i != R[c].i;
      VM_NEXT;
    VM_OP(LT)
      R[a].i = R[b].i < R[c].i;
      VM_NEXT;
    VM_OP(LE)
      R[a].i = R[b].i <= R[c].i;
      VM_NEXT;
    VM_OP(TEQ)
      R[a].i = text_eq(R[b].p, R[c].p);
      VM_NEXT;
    VM_OP(TNE)
      R[a].i = !text_eq(R[b].p, R[c].p);
      VM_NEXT;
    VM_OP(TLT)
      R[a].i = text_cmp(R[b].p, R[c].p) < 0;
      VM_NEXT;
    VM_OP(TLE)
      R[a].i = text_cmp(R[b].p, R[c].p) <= 0;
      VM_NEXT;
    VM_OP(ADD)
      if (__builtin_add_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(SUB)
      if (__builtin_sub_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(MULI)
      if (__builtin_mul_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(MULD)
      if (reg_dec_mul(R[b].i, R[c].i, &R[a].i) != REG_DEC_OK)
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(DIVD) {
      RegDecStatus st = reg_dec_div(R[b].i, R[c].i, &R[a].i);
      if (st != REG_DEC_OK)
        VM_ERR(st == REG_DEC_DIV_ZERO ? REG_VM_DIVZERO : REG_VM_OVERFLOW);
      VM_NEXT;
    }
    VM_OP(NEG)
      if (__builtin_sub_overflow((int64_t) 0, R[b].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(I2D)
      if (!reg_dec_from_int(R[b].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(MIN)
      R[a].i = R[b].i < R[c].i ? R[b].i : R[c].i;
      VM_NEXT;
    VM_OP(MAX)
      R[a].i = R[b].i > R[c].i ? R[b].i : R[c].i;
      VM_NEXT;
    VM_OP(DADD)
      if (!reg_date_add_dur(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_DATE);
      VM_NEXT;
    VM_OP(DSUB)
      if (!reg_date_sub_dur(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_DATE);
      VM_NEXT;
    VM_OP(DDIFF)
      if (__builtin_sub_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(DUR) {
      int64_t n = R[b].i, m = 0, d = 0;
      bool ok = true;
      switch (c) {
      case 0:
        d = n;
        break;
      case 1:
        ok = !__builtin_mul_overflow(n, 7, &d);
        break;
      case 2:
        m = n;
        break;
      default:
        ok = !__builtin_mul_overflow(n, 12, &m);
        break;
      }
      if (!ok || m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN)
        VM_ERR(REG_VM_OVERFLOW);
      R[a].i = reg_dur_make((int32_t) m, (int32_t) d);
      VM_NEXT;
    }
    VM_OP(DURMUL)
      if (!reg_dur_mul(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(DURADD)
      if (!reg_dur_add(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(JMP)
      VM_JUMP(a);
      VM_GOTO;
    VM_OP(JF)
#if VM_TRACE
      VM_SITE_JUMP(!R[a].i);
#endif
      if (!R[a].i) {
        VM_JUMP(b);
        VM_GOTO;
      }
      VM_NEXT;
    VM_OP(JT)
#if VM_TRACE
      VM_SITE_JUMP(R[a].i);
#endif
      if (R[a].i) {
        VM_JUMP(b);
        VM_GOTO;
      }
      VM_NEXT;
/* A fused compare-and-jump: jump to c when @cond holds. */
#if VM_TRACE
/* (a plain block, not do-while: VM_GOTO is `continue` of the dispatch loop here) */
#define VM_CJUMP(cond)                                                                     \
  {                                                                                        \
    bool j_ = (cond);                                                                      \
    int32_t site_ = p->cond_at[f->first_insn + pc];                                        \
    if (site_ >= 0)                                                                        \
      vm_trace_fused(vm, R, site_, j_);                                                    \
    if (j_) {                                                                              \
      pc = c;                                                                              \
      VM_GOTO;                                                                             \
    }                                                                                      \
  }
#else
#define VM_CJUMP(cond)                                                                     \
  if (cond) {                                                                              \
    VM_JUMP(c);                                                                            \
    VM_GOTO;                                                                               \
  }
#endif
    VM_OP(JEQ)
      VM_CJUMP(VM_IF_JEQ);
      VM_NEXT;
    VM_OP(JNE)
      VM_CJUMP(VM_IF_JNE);
      VM_NEXT;
    VM_OP(JLT)
      VM_CJUMP(VM_IF_JLT);
      VM_NEXT;
    VM_OP(JLE)
      VM_CJUMP(VM_IF_JLE);
      VM_NEXT;
    VM_OP(JTEQ)
      VM_CJUMP(text_eq(R[a].p, R[b].p));
      VM_NEXT;
    VM_OP(JTNE)
      VM_CJUMP(!text_eq(R[a].p, R[b].p));
      VM_NEXT;
    VM_OP(JFF)
      VM_CJUMP(VM_IF_JFF);
      VM_NEXT;
    VM_OP(JTF)
      VM_CJUMP(VM_IF_JTF);
      VM_NEXT;
    VM_OP(JEMPTY)
      VM_CJUMP(((const RegList *) R[a].p)->len == 0);
      VM_NEXT;
    VM_OP(JNEMPTY)
      VM_CJUMP(((const RegList *) R[a].p)->len != 0);
      VM_NEXT;
    VM_OP(JTIN)
    VM_OP(JNTIN) {
      const RegList *l = R[b].p;
      const RegText *t = R[a].p;
      bool found = false;
      for (uint32_t i = 0; i < l->len; i++) {
        if (text_eq(l->v[i].p, t)) {
          found = true;
          break;
        }
      }
      budget -= l->len / 8;
      VM_CJUMP(found == (REG_INSN_OP(VM_WORD) == REG_OP_JTIN));
      VM_NEXT;
    }
    VM_OP(JINSET)
    VM_OP(JNINSET) {
      uint64_t v = (uint64_t) R[a].i;
      bool in = v < 64 && (((uint64_t) p->consts[b] >> v) & 1);
      VM_CJUMP(in == (REG_INSN_OP(VM_WORD) == REG_OP_JINSET));
      VM_NEXT;
    }
#undef VM_CJUMP
    VM_OP(ADDF)
      if (__builtin_add_overflow(R[a].i, ((const RegValue *) R[b].p)[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      VM_NEXT;
    VM_OP(INSET) {
      uint64_t v = (uint64_t) R[b].i;
      R[a].i = v < 64 && (((uint64_t) p->consts[c] >> v) & 1);
      VM_NEXT;
    }
    VM_OP(TIN) {
      const RegList *l = R[c].p;
      const RegText *t = R[b].p;
      int64_t found = 0;
      for (uint32_t i = 0; i < l->len; i++) {
        if (text_eq(l->v[i].p, t)) {
          found = 1;
          break;
        }
      }
      budget -= l->len / 8;
      R[a].i = found;
      VM_NEXT;
    }
    VM_OP(VIN) {
      const RegList *l = R[c].p;
      int64_t v = R[b].i, found = 0;
      for (uint32_t i = 0; i < l->len; i++) {
        if (l->v[i].i == v) {
          found = 1;
          break;
        }
      }
      budget -= l->len / 8;
      R[a].i = found;
      VM_NEXT;
    }
    VM_OP(LEN)
      R[a].i = ((const RegList *) R[b].p)->len;
      VM_NEXT;
/* LOOP; as LOOPP it also asks the cache for the elements after the first, up to
 * VM_FETCH_AHEAD of them, before the body needs them */
#if VM_TRACE
#define VM_LOOP_TRACE                                                                      \
  vm->tloop_exit[vm->ntloops] = c;                                                         \
  vm->tloop_depth[vm->ntloops++] = depth;                                                  \
  if (vm->trace->loop)                                                                     \
    vm->trace->loop(vm->trace->data, true, l);
#else
#define VM_LOOP_TRACE
#endif
#define VM_FIRST_ELEMENT(fetch)                                                            \
  {                                                                                        \
    const RegList *l = R[b].p;                                                             \
    R[a + 1].i = 0;                                                                        \
    if (l->len == 0) {                                                                     \
      VM_JUMP(c);                                                                          \
      VM_GOTO;                                                                             \
    }                                                                                      \
    for (uint32_t k = 1; (fetch) && k <= VM_FETCH_AHEAD && k < l->len; k++)                \
      __builtin_prefetch(l->v[k].p);                                                       \
    R[a] = l->v[0];                                                                        \
    VM_LOOP_TRACE                                                                          \
    VM_NEXT;                                                                               \
  }
    VM_OP(LOOPP)
      VM_FIRST_ELEMENT(true)
    VM_OP(LOOP)
      VM_FIRST_ELEMENT(false)
#undef VM_FIRST_ELEMENT
#undef VM_LOOP_TRACE
/* NEXT; as NEXTP it also asks the cache for the element VM_FETCH_AHEAD places after the
 * next, ahead of its turn; @go, with pc at the body's start, goes on to the body */
#define VM_NEXT_ELEMENT(fetch, go)                                                         \
  {                                                                                        \
    const RegList *l = R[b].p;                                                             \
    int64_t i = ++R[a + 1].i;                                                              \
    if (i < (int64_t) l->len) {                                                            \
      if ((fetch) && i + VM_FETCH_AHEAD < (int64_t) l->len)                                \
        __builtin_prefetch(l->v[i + VM_FETCH_AHEAD].p);                                    \
      R[a] = l->v[i];                                                                      \
      budget -= (int64_t) (VM_PC - c + 1);                                                 \
      if (budget < 0)                                                                      \
        VM_ERR(REG_VM_BUDGET);                                                             \
      VM_JUMP(c);                                                                          \
      go;                                                                                  \
    }                                                                                      \
    VM_NEXT;                                                                               \
  }
    VM_OP(NEXTP)
      VM_NEXT_ELEMENT(true, VM_GOTO)
    VM_OP(NEXT)
      VM_NEXT_ELEMENT(false, VM_GOTO)
#if VM_THREADED
  /* the loop edges (opcodes-private.h): NEXTP, then straight to its body's first handler */
#define VM_RUN_NEXT(y) VM_OP(NEXTP_##y) VM_NEXT_ELEMENT(true, VM_ENTER(y))
    REG_RUN_NEXTS(VM_RUN_NEXT)
#undef VM_RUN_NEXT
#undef VM_ENTER
#endif
#undef VM_NEXT_ELEMENT
    VM_OP(LNEW) {
      int64_t cap = R[b].i < 0 ? 0 : R[b].i;
      if (cap > (INT64_C(1) << 26))
        VM_ERR(REG_VM_MEMORY);
      RegList *l = reg_arena_alloc(vm->arena, sizeof(RegList) + (size_t) cap * sizeof(RegValue));
      if (!l)
        VM_ERR(REG_VM_MEMORY);
      l->len = 0;
      l->cap = (uint32_t) cap;
      R[a].p = l;
      VM_NEXT;
    }
    VM_OP(LPUSH) {
      RegList *l = (RegList *) (uintptr_t) R[a].p;
      if (l->len >= l->cap)
        VM_ERR(REG_VM_CAPACITY);
      l->v[l->len++] = R[b];
      VM_NEXT;
    }
    VM_OP(LCAT) {
      const RegList *x = R[b].p, *y = R[c].p;
      size_t n = (size_t) x->len + y->len;
      RegList *l = reg_arena_alloc(vm->arena, sizeof(RegList) + n * sizeof(RegValue));
      if (!l || n > UINT32_MAX)
        VM_ERR(REG_VM_MEMORY);
      l->len = l->cap = (uint32_t) n;
      memcpy(l->v, x->v, x->len * sizeof(RegValue));
      memcpy(l->v + x->len, y->v, y->len * sizeof(RegValue));
      R[a].p = l;
      VM_NEXT;
    }
    VM_OP(ENUMLIST) {
      uint32_t lt = p->reg_types[f->first_reg_type + a];
      uint32_t et = p->types[lt].arg;
      R[a].p = p->enum_lists[p->types[et].arg];
      VM_NEXT;
    }
    VM_OP(RECORD) {
      uint32_t rt = p->reg_types[f->first_reg_type + a];
      const RegRecord *r = &p->records[p->types[rt].arg];
      uint32_t words = reg_record_words(r);
      RegValue *rec = reg_arena_alloc(vm->arena, (size_t) (words ? words : 1) * sizeof(RegValue));
      if (!rec)
        VM_ERR(REG_VM_MEMORY);
      /* (a record has a few fields: copied two at a time, without a call to memcpy) */
      {
        const RegValue *src = R + b;
        uint32_t n = r->nfields, i = 0;
        for (; i + 2 <= n; i += 2)
          memcpy(rec + i, src + i, 2 * sizeof(RegValue));
        if (i < n)
          rec[i] = src[i];
      }
      if (r->noptional)
        rec[r->nfields].i = c == REG_NO_MASK ? 0 : R[c].i;
      R[a].p = rec;
      VM_NEXT;
    }
    VM_OP(CALL) {
      const RegFunction *cf = &p->funcs[b];
      uint32_t memo = 0;
#if !VM_TRACE
      /* A call made before in this decision with the same arguments: its result. (Not
       * when tracing: explanations and coverage want every call.) */
      if (p->memo_func[b]) {
        uint64_t h = (uint64_t) (b + 1) * UINT64_C(0x9E3779B97F4A7C15);
        for (uint32_t i = 0; i < cf->nparams; i++)
          h = (h ^ (uint64_t) R[c + i].i) * UINT64_C(0xBF58476D1CE4E5B9);
        uint32_t slot = (uint32_t) (h >> 40);
        for (uint32_t k = 0; k < REG_MEMO_PROBES; k++) {
          RegMemo *m = &vm->memo[(slot + k) & (REG_MEMO_SLOTS - 1)];
          if (m->gen != vm->memo_gen || m->func == 0) {
            /* free: claim it for this call, filled in by its RET */
            m->gen = vm->memo_gen;
            m->func = b + 1;
            m->done = false;
            for (uint32_t i = 0; i < cf->nparams; i++)
              m->args[i] = R[c + i];
            memo = ((slot + k) & (REG_MEMO_SLOTS - 1)) + 1;
            break;
          }
          if (m->func == b + 1 && m->done) {
            uint32_t i = 0;
            while (i < cf->nparams && m->args[i].i == R[c + i].i)
              i++;
            if (i == cf->nparams) {
              R[a] = m->result;
              VM_NEXT;
            }
          }
        }
      }
#endif
      budget -= cf->ninsns;
      if (budget < 0)
        VM_ERR(REG_VM_BUDGET);
      uint32_t nb = base + f->nregs;
      RegValue *NR = vm->regs + nb;
      VM_CLEAR_FRAME(b, NR, cf->nregs);
      for (uint32_t i = 0; i < cf->nparams; i++)
        NR[i] = R[c + i];
      vm->frames[depth++] = (RegFrame){ func, VM_PC + 1, base, base + a, REG_NONE, memo };
      func = b;
      f = cf;
      base = nb;
      R = NR;
      code = VM_CODE + f->first_insn;
      VM_JUMP(0);
#if VM_TRACE
      if (vm->trace->enter)
        vm->trace->enter(vm->trace->data, func, R);
#endif
      VM_GOTO;
    }
    VM_OP(BUILTIN) {
      const RegValue *A = R + c;
      switch ((RegBuiltin) b) {
      case REG_BI_PERIODS:
        if (!reg_date_periods(A[0].i, A[1].i, A[2].i, &R[a].i))
          VM_ERR(REG_VM_DATE);
        break;
      case REG_BI_ROUND:
        if (A[1].i < 0 || A[1].i > REG_DEC_DIGITS) {
          R[a] = A[0];
          if (A[1].i < 0 && reg_dec_round(A[0].i, 0, &R[a].i) != REG_DEC_OK)
            VM_ERR(REG_VM_OVERFLOW);
        } else if (reg_dec_round(A[0].i, (int) A[1].i, &R[a].i) != REG_DEC_OK) {
          VM_ERR(REG_VM_OVERFLOW);
        }
        break;
      case REG_BI_ABS:
        if (A[0].i == INT64_MIN)
          VM_ERR(REG_VM_OVERFLOW);
        R[a].i = A[0].i < 0 ? -A[0].i : A[0].i;
        break;
      case REG_BI_TEXTLEN: {
        /* characters: UTF-8 bytes that do not continue a character */
        const RegText *t = A[0].p;
        int64_t n = 0;
        for (uint32_t i = 0; i < t->len; i++)
          n += ((unsigned char) t->s[i] & 0xc0) != 0x80;
        R[a].i = n;
        break;
      }
      case REG_BI__COUNT:
      default:
        VM_ERR(REG_VM_INTERNAL);
      }
      VM_NEXT;
    }
    VM_OP(RET) {
      RegValue v = R[a];
#if VM_TRACE
      while (vm->ntloops && vm->tloop_depth[vm->ntloops - 1] == depth) {
        vm->ntloops--;
        if (vm->trace->loop)
          vm->trace->loop(vm->trace->data, false, NULL);
      }
      if (vm->trace->leave)
        vm->trace->leave(vm->trace->data, func, v);
#endif
      if (depth == 0) {
        *out = v;
        vm->budget = budget;
        return REG_VM_OK;
      }
      const RegFrame *fr = &vm->frames[--depth];
      if (fr->global != REG_NONE) {
        vm->globals[fr->global] = v;
        vm->gstate[fr->global] = 2;
      }
#if !VM_TRACE
      if (fr->memo) {
        vm->memo[fr->memo - 1].result = v;
        vm->memo[fr->memo - 1].done = true;
      }
#endif
      vm->regs[fr->dst] = v;
      func = fr->func;
      f = &p->funcs[func];
      base = fr->base;
      R = vm->regs + base;
      code = VM_CODE + f->first_insn;
      VM_JUMP(fr->pc);
      VM_GOTO;
    }
    VM_OP(FAIL)
      vm->err_msg = reg_str(p, a);
      VM_ERR(REG_VM_FAIL);
#if !VM_THREADED
    case REG_OP__RUN_END:
    default:
      VM_ERR(REG_VM_INTERNAL);
#endif
    }
#if VM_TRACE
    {
      int32_t site = p->cond_at[f->first_insn + pc];
      unsigned op = REG_INSN_OP(w);
      if (site >= 0 && !REG_OP_IS_CJUMP(op) && op != REG_OP_JF && op != REG_OP_JT)
        vm_trace_cond(vm, R, site);
    }
#endif
#if !VM_THREADED
    pc++;
#endif
  }
}

#if VM_THREADED
#undef a
#undef b
#undef c
#endif
#undef VM_ERR
#undef VM_SITE_JUMP
#undef VM_CODE
#undef VM_IF_JEQ
#undef VM_IF_JNE
#undef VM_IF_JLT
#undef VM_IF_JLE
#undef VM_IF_JFF
#undef VM_IF_JTF
#undef VM_DO_GETF
#undef VM_CLEAR_FRAME
#undef VM_OP
#undef VM_GOTO
#undef VM_NEXT
#undef VM_PC
#undef VM_WORD
#undef VM_JUMP
