/* fcm-view-pace.h: how often the views take what the hub sent
 *
 * Under a stream of events (issue 15.1: 2,000 a second) the views must not
 * cost per event, nor draw more often than anybody can read: the timeline's
 * rows and the context panel apply what changed at most once every
 * FCM_VIEW_APPLY_INTERVAL_USEC, and, when applying takes long (many new
 * rows, a slow machine), only after FCM_VIEW_COST_FACTOR times what the last
 * apply took, up to FCM_VIEW_APPLY_MAX_USEC. What an apply costs includes
 * the layout of the frame after it (FcmViewLayoutCost, read from the view's
 * frame clock): that is most of it (the timeline's rows: 10-30 ms at 2,000
 * events/s against 1-3 ms for the apply itself), so the views keep to a
 * small share of the main loop and the hub's messages get the rest.
 * A change after a quiet spell is applied at once (in the next main-loop
 * turn), so a single event shows without delay.
 *
 * The pending change waits in a timeout at FCM_VIEW_APPLY_PRIORITY: after a
 * frame of the window that is due (GDK_PRIORITY_REDRAW), so an apply and the
 * layout it causes fall in different frames, and before the hub's frames,
 * which the app's connections hand on below both
 * (FCM_CONNECTION_FRAME_PRIORITY). (When the hub's messages were handled at
 * G_PRIORITY_DEFAULT, an idle or a tick callback waited behind a steady
 * stream for seconds, and the views applied at the default priority.)
 *
 * Views take turns: what one applies is laid out in the next frame (tens
 * of milliseconds under load: the timeline's new rows, the panel's new
 * texts), so a view applies only FCM_VIEW_GAP_USEC after any other did,
 * and the two layouts fall in different frames instead of adding up in
 * one main-loop turn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FCM_VIEW_APPLY_INTERVAL_USEC (100 * 1000)
#define FCM_VIEW_APPLY_MAX_USEC      (1000 * 1000)
#define FCM_VIEW_COST_FACTOR         10

#define FCM_VIEW_GAP_USEC           (50 * 1000)

#define FCM_VIEW_APPLY_PRIORITY      (GDK_PRIORITY_REDRAW + 5)

/* when any view last applied, and which (main thread only) */
extern gint64 fcm_view_pace_last_any;
extern const char *fcm_view_pace_last_view;

/* When a view is about to apply: 0 if it may (and it is noted), else the
 * milliseconds until another view's apply is FCM_VIEW_GAP_USEC behind.
 * @view names the view for traces (bench-app-load's FCM_BENCH_TRACE). */
static inline guint
fcm_view_pace_claim (const char *view)
{
  gint64 now = g_get_monotonic_time ();
  gint64 since = now - fcm_view_pace_last_any;

  if (fcm_view_pace_last_any != 0 && since >= 0 && since < FCM_VIEW_GAP_USEC)
    return (guint) ((FCM_VIEW_GAP_USEC - since + 999) / 1000);
  fcm_view_pace_last_any = now;
  fcm_view_pace_last_view = view;
  return 0;
}

/* The layout of the frame that follows a view's apply, from the frame
 * clock of the view's widget (the phases before done to its "layout" phase
 * done, repeated layouts included). */
typedef struct
{
  GdkFrameClock *clock;
  gulong         before_paint_id;
  gulong         update_id;
  gulong         layout_id;
  gulong         after_paint_id;
  gint64         start;      /* monotonic: this frame's layout began */
  gint64         cost;       /* µs: the last layout after an apply */
  gboolean       pending;    /* an apply waits for its frame */
  gboolean       laid_out;   /* this frame's layout phase ran */
} FcmViewLayoutCost;

void fcm_view_layout_cost_watch   (FcmViewLayoutCost *layout,
                                   GdkFrameClock     *clock);
void fcm_view_layout_cost_unwatch (FcmViewLayoutCost *layout);

/* the view applied: the next frame's layout is its */
static inline void
fcm_view_layout_cost_applied (FcmViewLayoutCost *layout)
{
  layout->pending = TRUE;
}

/* Milliseconds to wait before the next apply, given when the last one
 * started and how long it took (microseconds, monotonic) */
static inline guint
fcm_view_pace_delay_ms (gint64 last_apply,
                        gint64 last_cost)
{
  gint64 interval = CLAMP (last_cost * FCM_VIEW_COST_FACTOR, FCM_VIEW_APPLY_INTERVAL_USEC, FCM_VIEW_APPLY_MAX_USEC);
  gint64 since = g_get_monotonic_time () - last_apply;

  if (last_apply == 0 || since >= interval)
    return 0;
  return (guint) ((interval - since + 999) / 1000);
}

/* A view's paced applies: one pending timeout at FCM_VIEW_APPLY_PRIORITY,
 * after fcm_view_pace_delay_ms() of the last apply and the layout after it,
 * and after the other view's turn (fcm_view_pace_claim()). */
typedef void (*FcmViewApplyFunc) (gpointer data);

typedef struct
{
  const char        *log_domain; /* applies over 20 ms are logged there (G_MESSAGES_DEBUG) */
  const char        *name;       /* for traces, fcm_view_pace_claim() */
  FcmViewApplyFunc   apply;      /* calls fcm_view_pace_started() first */
  gpointer           data;
  guint              id;         /* the pending timeout */
  gint64             last;       /* monotonic: when the last apply started */
  gint64             cost;       /* µs: how long it took */
  FcmViewLayoutCost  layout;     /* the layout of the frame after it */
} FcmViewPace;

void fcm_view_pace_init      (FcmViewPace      *pace,
                              const char       *log_domain,
                              const char       *name,
                              FcmViewApplyFunc  apply,
                              gpointer          data);
void fcm_view_pace_schedule  (FcmViewPace      *pace);
void fcm_view_pace_started   (FcmViewPace      *pace);
void fcm_view_pace_clear     (FcmViewPace      *pace);

static inline gboolean
fcm_view_pace_is_scheduled (FcmViewPace *pace)
{
  return pace->id != 0;
}

G_END_DECLS
