/* fcm-cli-client-private.h: what the client commands' files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The options and the client set-up of `watch` (fcm-cli-watch.c) and of
 * `publish`, `context` and `gettopic` (fcm-cli-client.c).
 */

#pragma once

#include "fcm-client.h"

G_BEGIN_DECLS

/* The options every client command shares. */
typedef struct
{
  char     *hub;
  char     *topic;
  char     *token;
  char     *token_file;
  char     *ca_file;
  gboolean  insecure;
} ClientOptions;

void          _fcm_cli_client_options_clear     (ClientOptions *o);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClientOptions, _fcm_cli_client_options_clear)

#define CLIENT_OPTION_ENTRIES(o) \
  { "hub", 0, 0, G_OPTION_ARG_STRING, &(o).hub, N_("hub.url of the hub"), N_("URL") }, \
  { "topic", 0, 0, G_OPTION_ARG_STRING, &(o).topic, N_("hub.topic (session id)"), N_("TOPIC") }, \
  { "token", 0, 0, G_OPTION_ARG_STRING, &(o).token, N_("Bearer token (visible to other users: prefer --token-file or FHIRCAST_TOKEN)"), N_("TOKEN") }, \
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &(o).token_file, N_("Bearer token in the first line of FILE"), N_("FILE") }, \
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &(o).ca_file, N_("Trust the CA certificates in FILE (PEM)"), N_("FILE") }, \
  { "insecure", 0, 0, G_OPTION_ARG_NONE, &(o).insecure, N_("Allow plain http:// to a hub that is not on this machine"), NULL }

FcmHubClient *_fcm_cli_make_client_from_options (const char    *cmd,
                                                 ClientOptions *o,
                                                 int           *exit_code);

G_END_DECLS
