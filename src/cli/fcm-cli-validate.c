/* fcm-cli-validate.c: `fhircast validate FILE… | -`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-core.h"
#include "fcm-cli-private.h"

int
fcm_cli_validate (int    argc,
                  char **argv)
{
  fprintf (stderr, "validate: not built yet\n");
  return FCM_CLI_EXIT_USAGE;
}
