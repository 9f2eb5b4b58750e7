/* fcm-view-pace.c: when any view last applied (fcm-view-pace.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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
