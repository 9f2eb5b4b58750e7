/* fcm-subscriber-probe-private.h: the subscriber probe's hub and scenarios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-probe-private.h"
#include "fcm-subscriber-probe.h"

G_BEGIN_DECLS

/* One acknowledgement the app sent. */
typedef struct
{
  char     *id;
  gboolean  has_status;      /* "status" present as a number or a numeric string */
  int       status;
  gint64    at;
} FcmSpAck;

/* One notification the probe sent. */
typedef struct
{
  char     *id;
  char     *name;
  gint64    at;
} FcmSpSent;

/* One context change the app requested. */
typedef struct
{
  char     *id;
  char     *event;
  char     *timestamp;
  gint64    at;
} FcmSpRequest;

/* One subscription the app made. */
typedef struct
{
  FcmSubscriberProbe      *probe;
  char                    *id;             /* endpoint id */
  char                    *endpoint;       /* ws://…/fhircast/ws/{id} */
  GHashTable              *form;           /* the subscribe form */
  char                    *content_type;
  char                    *name;           /* subscriber.name, NULL if missing */
  char                   **events;
  guint                    lease;
  gint64                   subscribed_at;
  gint64                   confirmed_at;   /* 0 until the confirmation went out */
  GArray                  *renewals;       /* gint64 times of renewals */
  SoupWebsocketConnection *ws;
  gboolean                 connected;      /* the socket was up once */
  gboolean                 closed;         /* … and is closed now */
  gushort                  close_code;     /* the app's close code */
  gboolean                 claimed;        /* a scenario uses it */
  gboolean                 retired;        /* ended: its endpoint is refused */
  GHashTable              *unsubscribe;    /* the unsubscribe form, once sent */
  GPtrArray               *acks;           /* FcmSpAck */
  GPtrArray               *sent;           /* FcmSpSent */
  guint                    n_other;        /* frames that were not acks */
} FcmSpSub;

struct _FcmSubscriberProbe
{
  FcmProbe      parent_instance;

  char         *host;
  guint         port;
  SoupServer   *server;
  char         *hub_url;
  char         *ws_base;
  char         *topic;
  guint         lease;             /* the short lease of `renew` */
  double        connect_timeout;

  char        **command;           /* argv template, {hub} and {topic} unreplaced */
  GSubprocess  *process;
  gboolean      process_stopping;
  gboolean      process_exited;
  char         *spawn_error;
  gboolean      connect_timeout_set;

  GPtrArray    *subscriptions;     /* FcmSpSub, oldest first */
  GArray       *gets;              /* gint64 times of Get Current Context calls */
  GPtrArray    *requests;          /* FcmSpRequest */
  guint         grant_lease;       /* 0: as asked for, else this */
  gboolean      reject_requests;   /* answer context changes with 202 and a syncerror */

  /* the report context the probe pretends is open (replayed on connect) */
  char         *report, *patient, *study;
  char         *open_id, *open_timestamp;
  char         *version;
  gboolean      context_open;
};

/* fcm-subscriber-probe-hub.c */
gboolean   fcm_sp_hub_listen          (FcmSubscriberProbe *self,
                                       GError            **error);
void       fcm_sp_hub_stop            (FcmSubscriberProbe *self);

/* fcm-subscriber-probe-sub.c */
FcmSpSub  *fcm_sp_sub_new             (FcmSubscriberProbe *self);
void       fcm_sp_sub_free            (gpointer            data);
FcmSpSub  *fcm_sp_find_sub            (FcmSubscriberProbe *self,
                                       const char         *endpoint_or_id);
FcmSpSub  *fcm_sp_find_unclaimed      (FcmSubscriberProbe *self,
                                       gboolean            connected);
void       fcm_sp_send                (FcmSpSub           *sub,
                                       const char         *text,
                                       gsize               len);
void       fcm_sp_send_binary         (FcmSpSub           *sub,
                                       const char         *data,
                                       gsize               len);
char      *fcm_sp_send_event          (FcmSpSub           *sub,
                                       const char         *id,
                                       const char         *timestamp,
                                       const char         *event_name,
                                       JsonArray          *context,
                                       const char         *version_id,
                                       const char         *prior_version_id);
void       fcm_sp_send_confirmation   (FcmSpSub           *sub);
void       fcm_sp_send_denial         (FcmSpSub           *sub,
                                       const char         *reason);
void       fcm_sp_close               (FcmSpSub           *sub,
                                       gushort             code,
                                       const char         *reason);
void       fcm_sp_drop                (FcmSpSub           *sub);
gboolean   fcm_sp_granted             (FcmSpSub           *sub,
                                       const char         *event_name);
FcmSpAck  *fcm_sp_find_ack            (FcmSpSub           *sub,
                                       const char         *id);
guint      fcm_sp_count_acks          (FcmSpSub           *sub,
                                       const char         *id);
guint      fcm_sp_gets_since          (FcmSubscriberProbe *self,
                                       gint64              since);
void       fcm_sp_open_context        (FcmSubscriberProbe *self);
void       fcm_sp_close_context       (FcmSubscriberProbe *self);

/* fcm-subscriber-probe.c */
FcmSubscriberProbe *fcm_sp_probe      (FcmProbeCtx        *ctx);
void       fcm_sp_poke                (FcmSubscriberProbe *self);
void       fcm_sp_evidence            (FcmSubscriberProbe *self,
                                       const char         *format,
                                       ...) G_GNUC_PRINTF (2, 3);
void       fcm_sp_request_action      (FcmProbeCtx        *ctx,
                                       FcmSubscriberProbeAction action);
gboolean   fcm_sp_has_command         (FcmSubscriberProbe *self);
double     fcm_sp_connect_timeout     (FcmSubscriberProbe *self);

/* fcm-probe-subscriber.c: the scenarios, in run order */
extern const FcmProbeScenario fcm_probe_subscriber_scenarios[];
extern const guint            fcm_probe_subscriber_n_scenarios;

G_END_DECLS
