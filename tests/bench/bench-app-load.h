/* bench-app-load.h: what the parts of bench-app-load share
 *
 * bench-app-load.c is the driver and the app; bench-app-load-peers.c the
 * processes around it (the pinger and the publisher) and the helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SUBSCRIBER_NAME "FHIRcast Monitor"

/* the command line (bench-app-load.c) */
extern gint rate;
extern gint seconds;
extern gint n_events;
extern char *mode_pinger;
extern char *mode_publisher;
extern char *opt_topic;
extern char *opt_object_path;
extern gboolean keep_alive;

typedef struct
{
  GMainLoop *loop;
  gboolean   eof;
} Stdin;

int      cmp_double  (gconstpointer  a,
                      gconstpointer  b);
double   percentile  (GArray        *values,
                      double         p);
double   array_max   (GArray        *values);
guint    count_over  (GArray        *values,
                      double         limit);
long     rss_kb      (void);
gboolean stdin_cb    (gint           fd,
                      GIOCondition   condition,
                      gpointer       user_data);

int      run_pinger    (void);
int      run_publisher (void);

G_END_DECLS
