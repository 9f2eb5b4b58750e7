/* fcm-i18n.c: one gettext domain for the model, the CLI and the app
 *
 * The model, the client, the hub and the probes mark their messages with
 * <glib/gi18n-lib.h> (dgettext on GETTEXT_PACKAGE), the CLI and the app
 * with <glib/gi18n.h>; all of them live in the one domain bound here, so
 * the validator's issues and the core's errors come out in the same
 * language as the window around them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "fcm-i18n.h"

/**
 * fcm_i18n_get_localedir:
 *
 * Where the translations are looked up: `$FCM_LOCALEDIR` when it is set
 * and not empty (a build directory's `po/`, which holds
 * `LANG/LC_MESSAGES/fhircast-monitor.mo`, to run uninstalled and in the
 * tests), otherwise the configured `<prefix>/<localedir>`.
 *
 * Returns: (transfer none): a directory
 */
const char *
fcm_i18n_get_localedir (void)
{
  const char *dir = g_getenv ("FCM_LOCALEDIR");

  return dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR;
}

/**
 * fcm_i18n_init:
 *
 * Sets the locale from the environment and binds the project's gettext
 * domain, as UTF-8, as the default domain. Called first thing in main()
 * of `fhircast` and `fhircast-monitor`.
 */
void
fcm_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fcm_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
