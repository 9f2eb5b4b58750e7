/* fcm-cli-private.h: shared by the `fhircast` subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

/* Exit codes shared by every subcommand. */
#define FCM_CLI_EXIT_OK         0
#define FCM_CLI_EXIT_INVALID    1   /* validate: a message has errors; others: failure */
#define FCM_CLI_EXIT_UNREADABLE 2   /* a file could not be read */
#define FCM_CLI_EXIT_USAGE      64  /* bad command line (sysexits EX_USAGE) */

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} FcmCliCommand;

int fcm_cli_hub      (int    argc,
                      char **argv);
int fcm_cli_validate (int    argc,
                      char **argv);
int fcm_cli_watch    (int    argc,
                      char **argv);
int fcm_cli_publish  (int    argc,
                      char **argv);
int fcm_cli_context  (int    argc,
                      char **argv);
int fcm_cli_gettopic (int    argc,
                      char **argv);
int fcm_cli_probe    (int    argc,
                      char **argv);

G_END_DECLS
