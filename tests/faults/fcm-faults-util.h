/* fcm-faults-util.h: what the fault scenarios share
 *
 * The hub as its own process (`fhircast hub`, the binary users run), the
 * figures read from /proc for any process (RSS, descriptors, CPU time),
 * latencies, and a light WebSocket subscriber that records every
 * notification's id and arrival time and acknowledges it (C-28).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *proc;
  char        *dir;
  char        *out_path;
  char        *err_path;
  char        *url;        /* hub.url, the first line it prints */
  guint        port;
  int          pid;
} FaultsHub;

FaultsHub *faults_hub_start        (guint               port,
                                    const char * const *args);
void       faults_hub_kill         (FaultsHub          *hub);
void       faults_hub_free         (FaultsHub          *hub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FaultsHub, faults_hub_free)

gsize      faults_proc_rss_kib     (int                 pid);
guint      faults_proc_fds         (int                 pid);
double     faults_proc_cpu_seconds (int                 pid);

/* Spins the default main context for @ms milliseconds. */
void       faults_run_for          (guint               ms);
/* Raises the soft RLIMIT_NOFILE to at least @wanted (at most the hard
 * limit); returns the soft limit now. */
guint      faults_raise_fd_limit   (guint               wanted);

/* the p-th percentile (0..100) of @values (gint64, sorted in place) */
gint64     faults_percentile       (GArray             *values,
                                    double              p);

typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  char                    *endpoint;
  GHashTable              *seen;        /* event id → number of times received (GUINT) */
  GPtrArray               *syncerrors;  /* the text of every syncerror notification */
  GArray                  *arrivals;    /* gint64 monotonic µs, one per notification */
  guint                    received;
  gboolean                 confirmed;
  gboolean                 closed;
  gboolean                 ack;         /* acknowledge each notification (default TRUE) */
} FaultsSub;

FaultsSub *faults_sub_new          (SoupSession        *session,
                                    const char         *hub_url,
                                    const char         *topic,
                                    const char         *name,
                                    const char         *events);
void       faults_sub_start        (FaultsSub          *sub,
                                    const char         *hub_url,
                                    const char         *topic,
                                    const char         *name,
                                    const char         *events);
void       faults_sub_start_leaving (FaultsSub         *sub,
                                    const char         *hub_url,
                                    const char         *topic);
gboolean   faults_sub_subscribe    (FaultsSub          *sub,
                                    const char         *hub_url,
                                    const char         *topic,
                                    const char         *name,
                                    const char         *events);
void       faults_sub_leave        (FaultsSub          *sub,
                                    const char         *hub_url,
                                    const char         *topic);
void       faults_sub_free         (FaultsSub          *sub);
guint      faults_sub_count        (FaultsSub          *sub,
                                    const char         *id);

/* a custom event (no IRA profile) with an id and @padding bytes of context */
char      *faults_event_json       (const char         *topic,
                                    const char         *name,
                                    const char         *id,
                                    gsize               padding);
/* POSTs @json to @hub_url; returns the status */
guint      faults_publish          (SoupSession        *session,
                                    const char         *hub_url,
                                    const char         *json);

G_END_DECLS
