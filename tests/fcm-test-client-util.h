/* fcm-test-client-util.h: FcmHubClient subscribers on a hub on loopback, for the test-client* programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-hub.h"

G_BEGIN_DECLS

typedef struct
{
  FcmHubClient *client;
  GPtrArray *events;         /* FcmEvent */
  GPtrArray *syncerrors;     /* FcmEvent */
  GPtrArray *acks;           /* "id status" */
  GPtrArray *states;         /* state nicks, in order */
  char *denied;
  guint n_denied;
  guint n_frames;
  gboolean done;
  gboolean ok;
  GError *error;
} Sub;

typedef struct
{
  FcmHub *hub;
  SoupSession *session;
  char *topic;
  Sub *a;
  Sub *b;
  guint hub_syncerrors;
} Fixture;

typedef struct
{
  gboolean done;
  guint status;
  char *id;
  char *reason;
  GError *error;
} Publish;

typedef struct
{
  gboolean done;
  guint status;
  char *body;
} Http;

typedef struct
{
  gboolean done;
  char *out;
  char *err;
  int status;
} Cli;

void event_cb (FcmHubClient *client,
               FcmEvent     *event,
               Sub          *s);
void ack_cb (FcmHubClient *client,
             const char   *id,
             guint         status,
             Sub          *s);
void frame_cb (FcmHubClient   *client,
               const char     *text,
               FcmMessageKind  kind,
               Sub            *s);
void state_cb (FcmHubClient *client,
               GParamSpec   *pspec,
               Sub          *s);
Sub *sub_new (Fixture    *f,
              const char *name);
void sub_free (Sub *s);
gboolean sub_has_state (Sub        *s,
                        const char *nick);
void subscribe_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      data);
void sub_subscribe (Sub *s);
void unsubscribe_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      data);
void sub_unsubscribe (Sub *s);
void publish_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data);
guint publish (Sub         *s,
               FcmEvent    *event,
               char       **out_id);
FcmEvent *make_event (Fixture    *f,
                      const char *name,
                      JsonArray  *context);
FcmEvent *open_event (Fixture    *f,
                      const char *report);
FcmEvent *close_event (Fixture    *f,
                       const char *report);
void run_for (guint ms);
char *admin (Fixture    *f,
             const char *method,
             const char *path);
const char *endpoint_id (FcmHubClient *client);
void fixture_setup (Fixture       *f,
                    gconstpointer  data);
void fixture_teardown (Fixture       *f,
                       gconstpointer  data);
JsonNode *parse (const char *text);
GSubprocess *cli_start (Cli                *c,
                        const char * const *args);
int cli_run (Cli                *c,
             const char * const *args);
void cli_clear (Cli *c);

G_END_DECLS
