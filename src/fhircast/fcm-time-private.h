/* fcm-time-private.h: local time without a file system lookup per call
 *
 * GLib 2.74's g_time_zone_new_local() (and so g_date_time_new_now_local()
 * and g_date_time_new_from_unix_local()) stats /usr/share/zoneinfo and
 * /etc/localtime and reads the link on every call. Per event that was a
 * tenth of the app's time under load (the timeline's time column, the
 * birth-date checks), so the local zone is looked up at most once a second
 * here: a change of the machine's zone shows within that second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GTimeZone *_fcm_time_zone_dup_local          (void);
GDateTime *_fcm_date_time_new_now_local      (void);
GDateTime *_fcm_date_time_new_from_unix_local (gint64 seconds);

G_END_DECLS
