/* i18n.c: the "libreg" message domain, bound lazily (once per process) to the locale directory. */
#include "i18n.h"

#include "dsl-config.h"

#if REG_ENABLE_NLS
#include <libintl.h>

static void
bind_domain(void)
{
  static gsize bound = 0;
  if (g_once_init_enter(&bound)) {
    /* bindtextdomain is process-wide, but only for our domain, and idempotent */
    const char *dir = g_getenv("REG_LOCALEDIR");
    bindtextdomain(REG_GETTEXT_PACKAGE, dir && *dir ? dir : REG_LOCALEDIR);
    /* diagnostics are UTF-8 whatever the locale's character set */
    bind_textdomain_codeset(REG_GETTEXT_PACKAGE, "UTF-8");
    g_once_init_leave(&bound, 1);
  }
}

const char *
reg_gettext(const char *msgid)
{
  bind_domain();
  return dgettext(REG_GETTEXT_PACKAGE, msgid);
}

const char *
reg_ngettext(const char *msgid, const char *msgid_plural, unsigned long n)
{
  bind_domain();
  return dngettext(REG_GETTEXT_PACKAGE, msgid, msgid_plural, n);
}

#else

const char *
reg_gettext(const char *msgid)
{
  return msgid;
}

const char *
reg_ngettext(const char *msgid, const char *msgid_plural, unsigned long n)
{
  return n == 1 ? msgid : msgid_plural;
}

#endif
