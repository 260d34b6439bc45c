/* vm-loop.h: the VM's dispatch loop, included twice by vm.c (with and without tracing). */

/* Frame layout: registers of the active call chain are contiguous in vm->regs;
 * a call puts the callee's frame right after the caller's. The verifier has
 * bounded the chain (frame_words, max_depth), so no check is needed here. */

#define VM_ERR(st)                                                                         \
  do {                                                                                     \
    vm->status = (st);                                                                     \
    vm->err_func = func;                                                                   \
    vm->err_pc = pc;                                                                       \
    vm->budget = budget;                                                                   \
    return vm->status;                                                                     \
  } while (0)

static RegVMStatus
VM_RUN(RegVM *vm, uint32_t func, const RegValue *args, RegValue *out)
{
  const RegProgram *p = vm->p;
  const RegFunction *f = &p->funcs[func];
  RegValue *R = vm->regs;
  uint32_t base = 0, depth = 0, pc = 0;
  const uint64_t *code = p->code + f->first_insn;
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
    case REG_OP_NOP:
      break;
    case REG_OP_MOVE:
      R[a] = R[b];
      break;
    case REG_OP_LOADK:
      R[a].i = p->consts[b];
      break;
    case REG_OP_LOADS:
      R[a].p = p->strings[b];
      break;
    case REG_OP_LOADEMPTY:
      R[a].p = &reg_empty_list;
      break;
    case REG_OP_LOADINPUT:
      R[a] = vm->input;
      break;
    case REG_OP_LOADDATE:
      R[a].i = vm->asof;
      break;
    case REG_OP_GLOBAL: {
      if (vm->gstate[b] == 2) {
        R[a] = vm->globals[b];
        break;
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
      vm->frames[depth++] = (RegFrame){ func, pc + 1, base, base + a, b };
      func = callee;
      f = cf;
      base = nb;
      R = vm->regs + base;
      memset(R, 0, f->nregs * sizeof(RegValue));
      code = p->code + f->first_insn;
      pc = 0;
#if VM_TRACE
      if (vm->trace->enter)
        vm->trace->enter(vm->trace->data, func, R);
#endif
      continue;
    }
    case REG_OP_GETF:
      R[a] = ((const RegValue *) R[b].p)[c];
      break;
    case REG_OP_NOT:
      R[a].i = !R[b].i;
      break;
    case REG_OP_EQ:
      R[a].i = R[b].i == R[c].i;
      break;
    case REG_OP_NE:
      R[a].i = R[b].i != R[c].i;
      break;
    case REG_OP_LT:
      R[a].i = R[b].i < R[c].i;
      break;
    case REG_OP_LE:
      R[a].i = R[b].i <= R[c].i;
      break;
    case REG_OP_TEQ:
      R[a].i = text_eq(R[b].p, R[c].p);
      break;
    case REG_OP_TNE:
      R[a].i = !text_eq(R[b].p, R[c].p);
      break;
    case REG_OP_TLT:
      R[a].i = text_cmp(R[b].p, R[c].p) < 0;
      break;
    case REG_OP_TLE:
      R[a].i = text_cmp(R[b].p, R[c].p) <= 0;
      break;
    case REG_OP_ADD:
      if (__builtin_add_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_SUB:
      if (__builtin_sub_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_MULI:
      if (__builtin_mul_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_MULD:
      if (reg_dec_mul(R[b].i, R[c].i, &R[a].i) != REG_DEC_OK)
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_DIVD: {
      RegDecStatus st = reg_dec_div(R[b].i, R[c].i, &R[a].i);
      if (st != REG_DEC_OK)
        VM_ERR(st == REG_DEC_DIV_ZERO ? REG_VM_DIVZERO : REG_VM_OVERFLOW);
      break;
    }
    case REG_OP_NEG:
      if (__builtin_sub_overflow((int64_t) 0, R[b].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_I2D:
      if (!reg_dec_from_int(R[b].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_MIN:
      R[a].i = R[b].i < R[c].i ? R[b].i : R[c].i;
      break;
    case REG_OP_MAX:
      R[a].i = R[b].i > R[c].i ? R[b].i : R[c].i;
      break;
    case REG_OP_DADD:
      if (!reg_date_add_dur(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_DATE);
      break;
    case REG_OP_DSUB:
      if (!reg_date_sub_dur(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_DATE);
      break;
    case REG_OP_DDIFF:
      if (__builtin_sub_overflow(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_DUR: {
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
      break;
    }
    case REG_OP_DURMUL:
      if (!reg_dur_mul(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_DURADD:
      if (!reg_dur_add(R[b].i, R[c].i, &R[a].i))
        VM_ERR(REG_VM_OVERFLOW);
      break;
    case REG_OP_JMP:
      pc = a;
      continue;
    case REG_OP_JF:
      if (!R[a].i) {
        pc = b;
        continue;
      }
      break;
    case REG_OP_JT:
      if (R[a].i) {
        pc = b;
        continue;
      }
      break;
#if VM_TRACE
#define VM_FUSED_SITE()                                                                    \
  do {                                                                                     \
    int32_t site_ = p->cond_at[f->first_insn + pc];                                        \
    if (site_ >= 0)                                                                        \
      vm_trace_cond(vm, R, site_);                                                         \
  } while (0)
#else
#define VM_FUSED_SITE() ((void) 0)
#endif
    case REG_OP_JEQ:
      VM_FUSED_SITE();
      if (R[a].i == R[b].i) {
        pc = c;
        continue;
      }
      break;
    case REG_OP_JNE:
      VM_FUSED_SITE();
      if (R[a].i != R[b].i) {
        pc = c;
        continue;
      }
      break;
    case REG_OP_JLT:
      VM_FUSED_SITE();
      if (R[a].i < R[b].i) {
        pc = c;
        continue;
      }
      break;
    case REG_OP_JLE:
      VM_FUSED_SITE();
      if (R[a].i <= R[b].i) {
        pc = c;
        continue;
      }
      break;
    case REG_OP_JTEQ:
      VM_FUSED_SITE();
      if (text_eq(R[a].p, R[b].p)) {
        pc = c;
        continue;
      }
      break;
    case REG_OP_JTNE:
      VM_FUSED_SITE();
      if (!text_eq(R[a].p, R[b].p)) {
        pc = c;
        continue;
      }
      break;
#undef VM_FUSED_SITE
    case REG_OP_INSET: {
      uint64_t v = (uint64_t) R[b].i;
      R[a].i = v < 64 && (((uint64_t) p->consts[c] >> v) & 1);
      break;
    }
    case REG_OP_TIN: {
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
      break;
    }
    case REG_OP_VIN: {
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
      break;
    }
    case REG_OP_LEN:
      R[a].i = ((const RegList *) R[b].p)->len;
      break;
    case REG_OP_LOOP: {
      const RegList *l = R[b].p;
      R[a + 1].i = 0;
      if (l->len == 0) {
        pc = c;
        continue;
      }
      R[a] = l->v[0];
#if VM_TRACE
      vm->tloop_exit[vm->ntloops] = c;
      vm->tloop_depth[vm->ntloops++] = depth;
      if (vm->trace->loop)
        vm->trace->loop(vm->trace->data, true, l);
#endif
      break;
    }
    case REG_OP_NEXT: {
      const RegList *l = R[b].p;
      int64_t i = ++R[a + 1].i;
      if (i < (int64_t) l->len) {
        R[a] = l->v[i];
        budget -= (int64_t) (pc - c + 1);
        if (budget < 0)
          VM_ERR(REG_VM_BUDGET);
        pc = c;
        continue;
      }
      break;
    }
    case REG_OP_LNEW: {
      int64_t cap = R[b].i < 0 ? 0 : R[b].i;
      if (cap > (INT64_C(1) << 26))
        VM_ERR(REG_VM_MEMORY);
      RegList *l = reg_arena_alloc(vm->arena, sizeof(RegList) + (size_t) cap * sizeof(RegValue));
      if (!l)
        VM_ERR(REG_VM_MEMORY);
      l->len = 0;
      l->cap = (uint32_t) cap;
      R[a].p = l;
      break;
    }
    case REG_OP_LPUSH: {
      RegList *l = (RegList *) (uintptr_t) R[a].p;
      if (l->len >= l->cap)
        VM_ERR(REG_VM_CAPACITY);
      l->v[l->len++] = R[b];
      break;
    }
    case REG_OP_LCAT: {
      const RegList *x = R[b].p, *y = R[c].p;
      size_t n = (size_t) x->len + y->len;
      RegList *l = reg_arena_alloc(vm->arena, sizeof(RegList) + n * sizeof(RegValue));
      if (!l || n > UINT32_MAX)
        VM_ERR(REG_VM_MEMORY);
      l->len = l->cap = (uint32_t) n;
      memcpy(l->v, x->v, x->len * sizeof(RegValue));
      memcpy(l->v + x->len, y->v, y->len * sizeof(RegValue));
      R[a].p = l;
      break;
    }
    case REG_OP_ENUMLIST: {
      uint32_t lt = p->reg_types[f->first_reg_type + a];
      uint32_t et = p->types[lt].arg;
      R[a].p = p->enum_lists[p->types[et].arg];
      break;
    }
    case REG_OP_RECORD: {
      uint32_t rt = p->reg_types[f->first_reg_type + a];
      const RegRecord *r = &p->records[p->types[rt].arg];
      uint32_t words = reg_record_words(r);
      RegValue *rec = reg_arena_alloc(vm->arena, (size_t) (words ? words : 1) * sizeof(RegValue));
      if (!rec)
        VM_ERR(REG_VM_MEMORY);
      if (r->nfields)
        memcpy(rec, R + b, r->nfields * sizeof(RegValue));
      if (r->noptional)
        rec[r->nfields].i = c == REG_NO_MASK ? 0 : R[c].i;
      R[a].p = rec;
      break;
    }
    case REG_OP_CALL: {
      const RegFunction *cf = &p->funcs[b];
      budget -= cf->ninsns;
      if (budget < 0)
        VM_ERR(REG_VM_BUDGET);
      uint32_t nb = base + f->nregs;
      RegValue *NR = vm->regs + nb;
      memset(NR, 0, cf->nregs * sizeof(RegValue));
      for (uint32_t i = 0; i < cf->nparams; i++)
        NR[i] = R[c + i];
      vm->frames[depth++] = (RegFrame){ func, pc + 1, base, base + a, REG_NONE };
      func = b;
      f = cf;
      base = nb;
      R = NR;
      code = p->code + f->first_insn;
      pc = 0;
#if VM_TRACE
      if (vm->trace->enter)
        vm->trace->enter(vm->trace->data, func, R);
#endif
      continue;
    }
    case REG_OP_BUILTIN: {
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
      break;
    }
    case REG_OP_RET: {
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
      vm->regs[fr->dst] = v;
      func = fr->func;
      f = &p->funcs[func];
      base = fr->base;
      R = vm->regs + base;
      code = p->code + f->first_insn;
      pc = fr->pc;
      continue;
    }
    case REG_OP_FAIL:
      vm->err_msg = reg_str(p, a);
      VM_ERR(REG_VM_FAIL);
    case REG_OP__COUNT:
    default:
      VM_ERR(REG_VM_INTERNAL);
    }
#if VM_TRACE
    {
      int32_t site = p->cond_at[f->first_insn + pc];
      unsigned op = REG_INSN_OP(w);
      if (site >= 0 && !(op >= REG_OP_JEQ && op <= REG_OP_JTNE))
        vm_trace_cond(vm, R, site);
    }
#endif
    pc++;
  }
}

#undef VM_ERR
