/* fcm-test-hub-util.h: a hub on loopback and WebSocket subscribers, for the test-hub* programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"

G_BEGIN_DECLS

#define TOPIC "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37"
#define ALL_EVENTS "DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update," \
                   "DiagnosticReport-select,syncerror,x-custom-marker"

typedef enum
{
  ACK_NONE,
  ACK_NUMBER,
  ACK_STRING,
  ACK_NO_STATUS,
  ACK_SPACED,     /* { "status" : N , "id" : "…" } */
  ACK_ESCAPED,    /* {"id":"…\u002d…","status":N}: '-' escaped */
  ACK_TEMPLATE,   /* ack_template with @ID@ replaced */
} AckMode;

typedef struct
{
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;   /* JsonNode */
  char                    *endpoint;
  const char              *ack_template;
  char                    *auth;     /* Authorization of the upgrade (tokens bind endpoints) */
  GError                  *error;
  gboolean                 connect_done;
  AckMode                  ack_mode;
  guint                    ack_status;
  gboolean                 no_ack_syncerror;
  gboolean                 legacy;    /* 2019 prototype replies: no id */
} Client;

typedef struct
{
  FcmHub      *hub;
  SoupSession *session;
  const char  *url;
  guint        n_syncerror_signals;
  GOutputStream *audit;
} Fixture;

/* the applications of tests/data/hub-tokens.ini */
#define T_CREATOR   "Bearer creator-secret-4b1f9c"
#define T_WATCHER   "Bearer watcher-secret-7d02ae"
#define T_PATIENT   "Bearer patient-secret-1c5e80"
#define T_PUBLISHER "Bearer publisher-secret-93aa17"
#define T_EXPIRED   "Bearer expired-secret-e0e0e0"
#define T_SHORT     "Bearer short-secret-5f5f5f"

void fixture_setup    (Fixture       *f,
                       gconstpointer  data);
void fixture_teardown (Fixture       *f,
                       gconstpointer  data);

Client *client_new  (void);
void    client_free (Client *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

void syncerror_signal_cb (FcmHub     *hub,
                          const char *topic,
                          const char *diagnostics,
                          Fixture    *f);
guint http_full (Fixture     *f,
                 const char  *method,
                 const char  *url,
                 const char  *content_type,
                 const char  *body,
                 gsize        body_length,
                 const char  *auth,
                 char       **out_body);
guint http (Fixture     *f,
            const char  *method,
            const char  *url,
            const char  *content_type,
            const char  *body,
            char       **out_body);
guint post_json (Fixture    *f,
                 const char *text);
guint post_form (Fixture     *f,
                 char       **out_body,
                 const char  *first_key,
                 ...);
char *endpoint_from_body (const char *body);
const char *frame_event_name (JsonNode *frame);
const char *frame_get (JsonNode   *frame,
                       const char *member);
const char *frame_event_get (JsonNode   *frame,
                             const char *member);
void client_connect_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      data);
gboolean client_connect (Fixture    *f,
                         Client     *c,
                         const char *endpoint);
gboolean client_is_closed (Client *c);
guint client_count (Client     *c,
                    const char *event_name);
JsonNode *client_last (Client     *c,
                       const char *event_name);
JsonNode *client_find_mode (Client     *c,
                            const char *mode);
Client *subscribe (Fixture    *f,
                   const char *name,
                   const char *events);
void send_marker (Fixture    *f,
                  Client    **clients,
                  guint       n_clients);
char *open_event (const char *id,
                  const char *report,
                  const char *patient,
                  const char *study);
char *simple_event (const char *id,
                    const char *name,
                    const char *report);
JsonNode *get_current (Fixture *f);
char *open_report (Fixture    *f,
                   Client     *c,
                   const char *id,
                   const char *report);
JsonArray *syncerror_codings (JsonNode *frame);
const char *coding_code (JsonArray *coding,
                         guint      index,
                         const char *system_suffix);

G_END_DECLS
