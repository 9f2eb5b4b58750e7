/* fcm-view-pace.c: when any view last applied (fcm-view-pace.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-view-pace.h"

gint64 fcm_view_pace_last_any;
const char *fcm_view_pace_last_view;

/* the layout phase follows: "before-paint" is emitted in every frame,
 * "update" (tick callbacks, animations) only when one is asked for */
static void
phase_done_cb (GdkFrameClock     *clock,
               FcmViewLayoutCost *layout)
{
  layout->start = g_get_monotonic_time ();
}

/* after GtkRoot's handler, which lays the window out (again, if a layout
 * was queued during the last: the last emission's time counts) */
static void
layout_after_cb (GdkFrameClock     *clock,
                 FcmViewLayoutCost *layout)
{
  if (layout->pending && layout->start != 0)
    {
      layout->cost = g_get_monotonic_time () - layout->start;
      layout->laid_out = TRUE;
    }
}

/* the frame after the apply is over: if it had nothing to lay out, the
 * apply cost no layout */
static void
after_paint_cb (GdkFrameClock     *clock,
                FcmViewLayoutCost *layout)
{
  if (layout->pending && layout->start != 0)
    {
      if (!layout->laid_out)
        layout->cost = 0;
      layout->pending = FALSE;
    }
  layout->laid_out = FALSE;
  layout->start = 0;
}

/* realize: follow the frames of the view's window */
void
fcm_view_layout_cost_watch (FcmViewLayoutCost *layout,
                            GdkFrameClock     *clock)
{
  fcm_view_layout_cost_unwatch (layout);
  if (clock == NULL)
    return;
  layout->clock = g_object_ref (clock);
  layout->before_paint_id = g_signal_connect_after (clock, "before-paint", G_CALLBACK (phase_done_cb), layout);
  layout->update_id = g_signal_connect_after (clock, "update", G_CALLBACK (phase_done_cb), layout);
  layout->layout_id = g_signal_connect_after (clock, "layout", G_CALLBACK (layout_after_cb), layout);
  layout->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), layout);
}

void
fcm_view_layout_cost_unwatch (FcmViewLayoutCost *layout)
{
  if (layout->clock == NULL)
    return;
  g_clear_signal_handler (&layout->before_paint_id, layout->clock);
  g_clear_signal_handler (&layout->update_id, layout->clock);
  g_clear_signal_handler (&layout->layout_id, layout->clock);
  g_clear_signal_handler (&layout->after_paint_id, layout->clock);
  g_clear_object (&layout->clock);
  layout->start = 0;
  layout->pending = FALSE;
}

/* ---------------------------------------------------------------- FcmViewPace */

void
fcm_view_pace_init (FcmViewPace      *pace,
                    const char       *log_domain,
                    const char       *name,
                    FcmViewApplyFunc  apply,
                    gpointer          data)
{
  memset (pace, 0, sizeof *pace);
  pace->log_domain = log_domain;
  pace->name = name;
  pace->apply = apply;
  pace->data = data;
}

static gboolean
pace_timeout_cb (gpointer data)
{
  FcmViewPace *pace = data;
  guint wait = fcm_view_pace_claim (pace->name);

  pace->id = 0;
  if (wait > 0)
    {
      /* the other view applied just now: its layout gets a frame of its own */
      pace->id = g_timeout_add_full (FCM_VIEW_APPLY_PRIORITY, wait, pace_timeout_cb, pace, NULL);
      return G_SOURCE_REMOVE;
    }
  pace->apply (pace->data);
  pace->cost = g_get_monotonic_time () - pace->last;
  fcm_view_layout_cost_applied (&pace->layout);
  if (pace->cost > 20000)
    g_log (pace->log_domain, G_LOG_LEVEL_DEBUG, "%s applied in %.1f ms", pace->name, pace->cost / 1000.0);
  return G_SOURCE_REMOVE;
}

/* Applies soon: at once after a quiet spell (the next main-loop turn), at
 * most ten times a second under a stream (fcm-view-pace.h). */
void
fcm_view_pace_schedule (FcmViewPace *pace)
{
  if (pace->id == 0)
    pace->id = g_timeout_add_full (FCM_VIEW_APPLY_PRIORITY, fcm_view_pace_delay_ms (pace->last, pace->cost + pace->layout.cost),
                                   pace_timeout_cb, pace, NULL);
}

/* The view applies now (paced or not): what was pending is in it. */
void
fcm_view_pace_started (FcmViewPace *pace)
{
  g_clear_handle_id (&pace->id, g_source_remove);
  pace->last = g_get_monotonic_time ();
}

void
fcm_view_pace_clear (FcmViewPace *pace)
{
  g_clear_handle_id (&pace->id, g_source_remove);
  fcm_view_layout_cost_unwatch (&pace->layout);
}
