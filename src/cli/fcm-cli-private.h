/* fcm-cli-private.h: shared by the `fhircast` subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

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

/* fcm-cli.c: secrets come from files or the environment; warnings for
 * the command line (/proc/PID/cmdline shows it to every local user) */
char *fcm_cli_read_secret_file (const char  *path,
                                GError     **error);
void  fcm_cli_warn_command_line_secret (const char *cmd,
                                        const char *option,
                                        const char *instead);

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
int fcm_cli_replay   (int    argc,
                      char **argv);
int fcm_cli_anonymize (int    argc,
                       char **argv);

typedef struct _FcmHubClient FcmHubClient;

/* fcm-cli-client.c */
gboolean      fcm_cli_parse_options  (const char    *cmd,
                                      const char    *parameter,
                                      const char    *summary,
                                      const char    *description,
                                      GOptionEntry  *entries,
                                      int           *argc,
                                      char        ***argv);
FcmHubClient *fcm_cli_make_client    (const char    *cmd,
                                      const char    *hub,
                                      const char    *topic,
                                      const char    *token,
                                      const char    *ca_file,
                                      int           *exit_code);

/* fcm-cli-client-io.c */
JsonArray    *fcm_cli_context_from_file (const char *path,
                                         GError    **error);
char         *fcm_cli_context_answer    (JsonNode   *context,
                                         gboolean    json);

/* fcm-cli-record.c: `watch --record FILE` */
typedef struct _FcmCliRecord FcmCliRecord;

gboolean      fcm_cli_parse_size     (const char    *text,
                                      guint64       *out_bytes);
FcmCliRecord *fcm_cli_record_new     (const char    *path,
                                      guint64        max_size,
                                      guint          max_files,
                                      FcmHubClient  *client,
                                      void         (*on_failure) (gpointer data),
                                      gpointer       data);
gboolean      fcm_cli_record_failed  (FcmCliRecord  *rec);
void          fcm_cli_record_show    (FcmCliRecord  *rec,
                                      const char    *line);
gboolean      fcm_cli_record_finish  (FcmCliRecord  *rec);

G_END_DECLS
