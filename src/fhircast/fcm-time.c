/* fcm-time.c: local time without a file system lookup per call
 *
 * See fcm-time-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-time-private.h"

/* how long a looked-up local zone is used */
#define LOCAL_ZONE_USEC G_USEC_PER_SEC

G_LOCK_DEFINE_STATIC (local_zone);
static GTimeZone *local_zone;
static gint64 local_zone_at;

/**
 * _fcm_time_zone_dup_local:
 *
 * Like g_time_zone_new_local(), looked up at most once a second.
 *
 * Returns: (transfer full): the local time zone
 */
GTimeZone *
_fcm_time_zone_dup_local (void)
{
  gint64 now = g_get_monotonic_time ();
  GTimeZone *zone;

  G_LOCK (local_zone);
  if (local_zone == NULL || now - local_zone_at >= LOCAL_ZONE_USEC)
    {
      g_clear_pointer (&local_zone, g_time_zone_unref);
      local_zone = g_time_zone_new_local ();
      local_zone_at = now;
    }
  zone = g_time_zone_ref (local_zone);
  G_UNLOCK (local_zone);
  return zone;
}

GDateTime *
_fcm_date_time_new_now_local (void)
{
  g_autoptr(GTimeZone) zone = _fcm_time_zone_dup_local ();

  return g_date_time_new_now (zone);
}

GDateTime *
_fcm_date_time_new_from_unix_local (gint64 seconds)
{
  g_autoptr(GTimeZone) zone = _fcm_time_zone_dup_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);

  return utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
}
