/* disasm.c: the EXPLAIN of a program: its tables and every instruction with its source line. */
#include "date-private.h"
#include "decimal-private.h"
#include "program-private.h"

static const char *const op_names[REG_OP__COUNT] = {
#define REG_OP_NAME(name, a, b, c, meaning) #name,
  REG_OPCODES(REG_OP_NAME)
#undef REG_OP_NAME
};

static const char op_kinds[REG_OP__COUNT][3] = {
#define REG_OP_KINDS(name, a, b, c, meaning) { a, b, c },
  REG_OPCODES(REG_OP_KINDS)
#undef REG_OP_KINDS
};

static const char *const builtin_names[REG_BI__COUNT] = {
#define REG_BI_NAME(name, n, r, t1, t2, t3, meaning) #name,
  REG_BUILTINS(REG_BI_NAME)
#undef REG_BI_NAME
};

const char *
reg_opcode_name(unsigned op)
{
  return op < REG_OP__COUNT ? op_names[op] : "?";
}

static void
append_type(GString *s, const RegProgram *p, uint32_t t)
{
  static const char *const prim[] = { "waarheid", "geheel", "getal", "tekst", "datum", "duur" };
  if (t >= p->ntypes) {
    g_string_append(s, "?");
    return;
  }
  const RegType *ty = &p->types[t];
  switch (ty->kind) {
  case REG_TK_ENUM:
    g_string_append(s, reg_str(p, p->enums[ty->arg].name));
    break;
  case REG_TK_RECORD:
    g_string_append(s, reg_str(p, p->records[ty->arg].name));
    break;
  case REG_TK_LIST:
    g_string_append(s, "lijst van ");
    append_type(s, p, ty->arg);
    break;
  default:
    g_string_append(s, ty->kind < G_N_ELEMENTS(prim) ? prim[ty->kind] : "?");
    break;
  }
}

static void
append_quoted(GString *s, const char *t)
{
  g_string_append_c(s, '"');
  for (; *t; t++) {
    if (*t == '"' || *t == '\\')
      g_string_append_c(s, '\\');
    if (*t == '\n')
      g_string_append(s, "\\n");
    else
      g_string_append_c(s, *t);
  }
  g_string_append_c(s, '"');
}

/* A constant shown in the type of the register it goes to. */
static void
append_const(GString *s, const RegProgram *p, uint32_t type, int64_t v)
{
  char buf[64];
  switch (type < p->ntypes ? p->types[type].kind : REG_TK__COUNT) {
  case REG_TK_BOOL:
    g_string_append(s, v ? "waar" : "onwaar");
    break;
  case REG_TK_DEC:
    reg_dec_format(v, buf);
    g_string_append(s, buf);
    break;
  case REG_TK_DATE:
    if (reg_date_valid(v)) {
      reg_date_format(v, buf);
      g_string_append(s, buf);
    } else {
      g_string_append_printf(s, "date(%lld)", (long long) v);
    }
    break;
  case REG_TK_DUR:
    reg_dur_format(v, buf);
    g_string_append(s, buf);
    break;
  case REG_TK_ENUM: {
    const RegEnum *e = &p->enums[p->types[type].arg];
    if (v >= 0 && v < (int64_t) e->nmembers)
      g_string_append(s, reg_str(p, p->enum_members[e->first_member + (uint32_t) v]));
    else
      g_string_append(s, "onbekend");
    break;
  }
  default:
    g_string_append_printf(s, "%lld", (long long) v);
    break;
  }
}

static void
append_insn(GString *s, const RegProgram *p, const RegFunction *f, uint32_t pc, bool normalized)
{
  uint64_t w = p->code[f->first_insn + pc];
  unsigned op = REG_INSN_OP(w);
  unsigned ops[3] = { REG_INSN_A(w), REG_INSN_B(w), REG_INSN_C(w) };
  const uint32_t *rt = p->reg_types + f->first_reg_type;
  g_string_append_printf(s, "  %4u  %-10s", pc, reg_opcode_name(op));
  if (op >= REG_OP__COUNT)
    return;
  bool first = true;
  for (int i = 0; i < 3; i++) {
    char k = op_kinds[op][i];
    if (k == '-')
      continue;
    g_string_append(s, first ? " " : ", ");
    first = false;
    unsigned x = ops[i];
    switch (k) {
    case 'R':
      g_string_append_printf(s, "r%u", x);
      break;
    case 'P':
      if (x == REG_NO_MASK)
        g_string_append(s, "-");
      else
        g_string_append_printf(s, "r%u", x);
      break;
    case 'K':
      if (x < p->nconsts) {
        if (!normalized)
          g_string_append_printf(s, "k%u=", x);
        uint32_t t = op == REG_OP_LOADK ? rt[ops[0]] : REG_TYPE_INT;
        if (op == REG_OP_INSET || op == REG_OP_JINSET || op == REG_OP_JNINSET)
          g_string_append_printf(s, "0x%llx", (unsigned long long) p->consts[x]);
        else
          append_const(s, p, t, p->consts[x]);
      } else {
        g_string_append_printf(s, "k%u", x);
      }
      break;
    case 'S':
      if (x < p->nstrings)
        append_quoted(s, reg_str(p, x));
      else
        g_string_append_printf(s, "s%u", x);
      break;
    case 'G':
      if (!normalized)
        g_string_append_printf(s, "g%u", x);
      if (x < p->nglobals && p->globals[x].func < p->nfuncs)
        g_string_append_printf(s, "(%s)", reg_str(p, p->funcs[p->globals[x].func].name));
      break;
    case 'I':
      if (op == REG_OP_JFF || op == REG_OP_JTF) {
        uint32_t at = rt[ops[0]];
        if (at < p->ntypes && p->types[at].kind == REG_TK_RECORD &&
            x < p->records[p->types[at].arg].nfields) {
          g_string_append_printf(s, ".%s",
                                 reg_str(p, reg_record_field(p, p->types[at].arg, x)->name));
          break;
        }
      }
      g_string_append_printf(s, "%u", x);
      break;
    case 'F': {
      uint32_t bt = rt[ops[1]];
      if (bt < p->ntypes && p->types[bt].kind == REG_TK_RECORD &&
          x < p->records[p->types[bt].arg].nfields)
        g_string_append_printf(s, ".%s",
                               reg_str(p, reg_record_field(p, p->types[bt].arg, x)->name));
      else
        g_string_append_printf(s, ".%u", x);
      break;
    }
    case 'J':
    case 'B':
      g_string_append_printf(s, "-> %u", x);
      break;
    case 'N':
      if (!normalized)
        g_string_append_printf(s, "f%u", x);
      if (x < p->nfuncs)
        g_string_append_printf(s, "(%s)", reg_str(p, p->funcs[x].name));
      break;
    case 'X':
      g_string_append(s, x < REG_BI__COUNT ? builtin_names[x] : "?");
      break;
    case 'U': {
      static const char *const units[] = { "dagen", "weken", "maanden", "jaar" };
      g_string_append(s, x < 4 ? units[x] : "?");
      break;
    }
    default:
      g_string_append_printf(s, "%u", x);
      break;
    }
  }
}

char *
reg_disasm(const RegProgram *p)
{
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "; criteria %s versie %s\n", reg_str(p, p->name),
                         reg_str(p, p->version));
  g_string_append_printf(s, "; %u functions, %u instructions, %u constants, %u strings\n",
                         p->nfuncs, p->ninsns, p->nconsts, p->nstrings);
  g_string_append_printf(s, "; input: %s\n", reg_str(p, p->records[p->input_record].name));
  for (uint32_t i = 0; i < p->nviews; i++)
    g_string_append_printf(s, "; output %s: f%u\n", reg_str(p, p->views[i].name), p->views[i].func);
  for (uint32_t i = 0; i < p->nchecks; i++) {
    g_string_append_printf(s, "; requirement f%u else ", p->checks[i].func);
    append_quoted(s, reg_str(p, p->checks[i].message));
    g_string_append_c(s, '\n');
  }

  for (uint32_t fi = 0; fi < p->nfuncs; fi++) {
    const RegFunction *f = &p->funcs[fi];
    g_string_append_printf(s, "\nfunction f%u %s", fi, reg_str(p, f->name));
    if (f->rule != REG_NONE) {
      const RegRuleInfo *r = &p->rules[f->rule];
      const RegLoc *l = &p->locs[r->loc];
      g_string_append_printf(s, "  (%s:%u", reg_str(p, l->file), l->line);
      if (r->has_from) {
        char d[11];
        reg_date_format(r->from, d);
        g_string_append_printf(s, ", geldt vanaf %s", d);
      }
      if (r->basis != REG_NONE) {
        g_string_append(s, ", bron ");
        append_quoted(s, reg_str(p, r->basis));
      }
      g_string_append_c(s, ')');
    }
    if (p->plain_of[fi] != fi)
      g_string_append_printf(s, "\n  ; untraced runs use f%u", p->plain_of[fi]);
    for (uint32_t of = 0; of < p->nfuncs; of++)
      if (of != fi && p->plain_of[of] == fi) {
        g_string_append_printf(s, "\n  ; f%u for untraced runs (rules with a bron inlined)", of);
        break;
      }
    g_string_append(s, "\n  ; ");
    for (uint32_t r = 0; r < f->nregs; r++) {
      g_string_append_printf(s, "%sr%u: ", r ? ", " : "", r);
      append_type(s, p, p->reg_types[f->first_reg_type + r]);
      if (r < f->nparams)
        g_string_append(s, " (param)");
    }
    g_string_append(s, " -> ");
    append_type(s, p, f->ret_type);
    g_string_append_c(s, '\n');
    uint32_t last_line = 0, last_file = REG_NONE;
    for (uint32_t pc = 0; pc < f->ninsns; pc++) {
      size_t before = s->len;
      append_insn(s, p, f, pc, false);
      const RegLoc *l = reg_insn_loc(p, fi, pc);
      int32_t site = p->cond_at ? p->cond_at[f->first_insn + pc] : -1;
      if ((l && (l->line != last_line || l->file != last_file)) || site >= 0) {
        size_t width = s->len - before;
        for (; width < 44; width++)
          g_string_append_c(s, ' ');
        g_string_append(s, " ;");
        if (l && (l->line != last_line || l->file != last_file)) {
          g_string_append_printf(s, " %s:%u", reg_str(p, l->file), l->line);
          last_line = l->line;
          last_file = l->file;
        }
        if (site >= 0) {
          g_string_append(s, " cond ");
          append_quoted(s, reg_str(p, p->conds[site].label));
        }
      }
      g_string_append_c(s, '\n');
    }
  }
  return g_string_free(s, FALSE);
}

char *
reg_disasm_function(const RegProgram *p, uint32_t fi)
{
  GString *s = g_string_new(NULL);
  if (fi >= p->nfuncs)
    return g_string_free(s, FALSE);
  const RegFunction *f = &p->funcs[fi];
  for (uint32_t r = 0; r < f->nregs; r++) {
    append_type(s, p, p->reg_types[f->first_reg_type + r]);
    g_string_append_c(s, ',');
  }
  g_string_append_c(s, '\n');
  for (uint32_t pc = 0; pc < f->ninsns; pc++) {
    append_insn(s, p, f, pc, true);
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}
