/* main.c: entry point of the `fhircast-monitor` desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-application.h"
#include "fcm-fhircast.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FcmApplication) app = NULL;

  fcm_i18n_init ();

  g_set_prgname ("fhircast-monitor");
  g_set_application_name (_("FHIRcast Monitor"));

  app = fcm_application_new (APP_ID, G_APPLICATION_HANDLES_COMMAND_LINE);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
