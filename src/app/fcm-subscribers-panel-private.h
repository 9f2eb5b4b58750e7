/* fcm-subscribers-panel-private.h: shared by the panel's files, and what
 * the tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fcm-subscribers-panel.h"

G_BEGIN_DECLS

/* One subscriber as the panel shows it, whichever source it came from */
typedef struct
{
  char      *key;               /* tells rows apart; never shown */
  char      *name;
  char     **events;
  char      *endpoint;          /* redacted (C-09, H-02) */
  const char *state;            /* "Connected", … (translated) */
  gboolean   is_self;
  gboolean   has_figures;       /* the hub told its ack figures */
  guint64    acks;
  guint64    refused_acks;
  guint64    missed_acks;
  guint      pending_acks;
  gint64     last_ack_latency;  /* µs, -1 = none */
} FcmSubscriberView;

void  _fcm_subscriber_view_free (FcmSubscriberView *view);
char *_fcm_subscribers_redact   (const char        *endpoint);

typedef enum
{
  FCM_SUBSCRIBERS_SOURCE_NONE,    /* no connection */
  FCM_SUBSCRIBERS_SOURCE_HUB,     /* the built-in hub itself */
  FCM_SUBSCRIBERS_SOURCE_ADMIN,   /* a loopback hub's /admin/subscribers */
  FCM_SUBSCRIBERS_SOURCE_OWN,     /* only our own subscription */
} FcmSubscribersSource;

struct _FcmSubscribersPanel
{
  GtkWidget             parent_instance;

  FcmConnection        *connection;
  FcmHub               *hub;             /* the built-in hub, or NULL */
  GHashTable           *rows;            /* key → Row */
  gboolean              dirty;
  guint                 n_updates;
  FcmSubscribersSource  source;

  /* fcm-subscribers-panel-admin.c: a remote hub on this computer */
  SoupSession          *session;
  GCancellable         *admin_cancel;
  guint                 admin_poll_id;
  GPtrArray            *admin_views;     /* FcmSubscriberView, or NULL */
  gboolean              admin_busy;

  /* Template children */
  GtkLabel             *count_label;
  GtkLabel             *source_label;
  GtkListBox           *list;
};

void _fcm_subscribers_panel_refresh    (FcmSubscribersPanel *self);

/* fcm-subscribers-panel-admin.c */
gboolean _fcm_subscribers_admin_possible (FcmSubscribersPanel *self);
void     _fcm_subscribers_admin_start    (FcmSubscribersPanel *self);
void     _fcm_subscribers_admin_stop     (FcmSubscribersPanel *self);

/* for tests */
guint       _fcm_subscribers_panel_get_n_rows      (FcmSubscribersPanel *self);
GtkWidget  *_fcm_subscribers_panel_get_row         (FcmSubscribersPanel *self,
                                                    guint                index);
char       *_fcm_subscribers_panel_dup_row_text    (FcmSubscribersPanel *self,
                                                    guint                index);
const char *_fcm_subscribers_panel_get_source_text (FcmSubscribersPanel *self);
guint       _fcm_subscribers_panel_get_n_updates   (FcmSubscribersPanel *self);
FcmSubscribersSource _fcm_subscribers_panel_get_source (FcmSubscribersPanel *self);

G_END_DECLS
