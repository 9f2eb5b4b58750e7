/* fcm-timeline-scroll.c: the timeline follows new rows
 *
 * While the view is at the bottom, new rows are scrolled into view in the
 * frame that lays them out. When the user scrolls up, following stops and
 * "Jump to Latest" appears under the rows; scrolling back to the bottom, or
 * the button, resumes it.
 *
 * Why not list.scroll-to-item (the only scrolling GTK 4.8's list offers):
 * new rows have no height until the list lays them out, so a scroll-to-item
 * before the layout sees the newest row (0 px high, at the old bottom edge)
 * as already visible and keeps the view where it is; every other new row was
 * left below the view. Setting the adjustment from its "changed" signal is
 * no cure: that runs inside the list's size-allocate, where the list's
 * queue_allocate for the new value is dropped; the adjustment then said
 * "at the bottom" while the rows stayed where they were, the wheel could not
 * go further and "Jump to Latest" never showed (until something else, a
 * selection or the filter, made the list lay out again).
 *
 * So the timeline waits for the window's layout in each frame (the frame
 * clock's "layout" signal, connected after GtkRoot's handler, which does the
 * allocation) and, if it follows and is not at the bottom, sets the value
 * then. The list queues a new allocation, which the frame clock honours in
 * the same frame (it repeats the layout phase while one is queued): the
 * newest row is drawn in the frame that first lays it out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-timeline-private.h"

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - 1.0;
}

static void
update_jump_label (FcmTimeline *self)
{
  g_autofree char *text = NULL;

  if (self->n_unseen == 0)
    {
      gtk_inscription_set_text (self->jump_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->jump_label), FALSE);
      return;
    }
  /* Translators: under the timeline while it is not following new rows */
  text = g_strdup_printf (ngettext ("%u new message below", "%u new messages below", self->n_unseen),
                          self->n_unseen);
  gtk_inscription_set_text (self->jump_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->jump_label), TRUE);
}

void
_fcm_timeline_set_following (FcmTimeline *self,
                             gboolean     following)
{
  if (self->following == following)
    return;
  self->following = following;
  self->pinned_value = following ? -1 : gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
  self->n_unseen = 0;
  update_jump_label (self);
  gtk_revealer_set_reveal_child (self->jump_revealer, !following);
  /* a hidden bar takes no clicks or focus */
  gtk_widget_set_can_target (GTK_WIDGET (self->jump_revealer), !following);
  gtk_widget_set_can_focus (GTK_WIDGET (self->jump_button), !following);
  if (following)
    gtk_widget_queue_allocate (GTK_WIDGET (self->scroller));
}

static void
go_to_bottom (FcmTimeline *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
vadjustment_value_changed_cb (GtkAdjustment *adj,
                              FcmTimeline   *self)
{
  double value = gtk_adjustment_get_value (adj);

  if (at_bottom (adj))
    _fcm_timeline_set_following (self, TRUE);
  /* Up, and not the list moving its rows while it lays out new or dropped
   * ones (that comes with "changed", just before): the user's scroll, by the
   * wheel, the scroll bar or the keyboard. */
  else if (!self->configuring && !self->rows_moving && value < self->last_value)
    _fcm_timeline_set_following (self, FALSE);
  /* the user moves on while the bar slides in */
  if (!self->following && !self->configuring && !self->rows_moving && self->pinned_value >= 0)
    self->pinned_value = value;
  self->last_value = value;
  self->configuring = FALSE;
}

/* the list reconfigures its adjustment (upper, page) in its size-allocate;
 * a value change that follows at once is the list's, not the user's */
static void
vadjustment_changed_cb (GtkAdjustment *adj,
                        FcmTimeline   *self)
{
  self->configuring = TRUE;
}

/* after GtkRoot's layout handler: the list has measured the new rows */
static void
layout_after_cb (GdkFrameClock *clock,
                 FcmTimeline   *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  /* The Jump bar slides in under the rows and the view gets shorter; GTK
   * may keep the bottom row in place, moving the rows the user scrolled to
   * up (it did after a stream's rows came in steps, fcm-timeline-batch.c).
   * While the bar slides in, the top row stays where the user left it,
   * unless rows came or went before the last one. */
  if (!self->following && self->pinned_value >= 0)
    {
      if (self->rows_shifted)
        self->pinned_value = -1;
      else
        {
          double pinned = self->pinned_value;

          if (ABS (gtk_adjustment_get_value (adj) - pinned) >= 0.5)
            gtk_adjustment_set_value (adj, pinned);
          else if (gtk_revealer_get_child_revealed (self->jump_revealer))
            self->pinned_value = -1;   /* slid in, and laid out once more */
        }
    }
  self->configuring = FALSE;
  self->rows_moving = FALSE;
  self->rows_shifted = FALSE;
  self->last_value = gtk_adjustment_get_value (adj);
  if (self->following && !at_bottom (adj))
    go_to_bottom (self);
}

static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  FcmTimeline *self)
{
  if (!self->following && added > 0 && position + added == g_list_model_get_n_items (model))
    {
      self->n_unseen += added;
      update_jump_label (self);
    }
  _fcm_timeline_update_empty_state (self);
}

/* Connected to the batch before any model downstream of it, so it runs
 * before the list sees the change: until the frame's layout is over, the
 * list moving its rows (a full log drops rows at the front while new ones
 * come) is not the user scrolling up. Without it the timeline stopped
 * following under load ("1472 new messages below", issue 15.1). */
void
_fcm_timeline_rows_moving_cb (FcmTimeline *self,
                              guint        position,
                              guint        removed,
                              guint        added)
{
  self->rows_moving = TRUE;
  if (removed > 0 || position + added < g_list_model_get_n_items (G_LIST_MODEL (self->batch)))
    self->rows_shifted = TRUE;
}

static void
jump_clicked_cb (FcmTimeline *self)
{
  _fcm_timeline_set_following (self, TRUE);
  go_to_bottom (self);
  /* the button goes away: keep the keyboard in the rows */
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

void
_fcm_timeline_setup_scrolling (FcmTimeline *self)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->following = TRUE;
  self->pinned_value = -1;
  gtk_widget_set_can_target (GTK_WIDGET (self->jump_revealer), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->jump_button), FALSE);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (items_changed_cb), self, 0);
  g_signal_connect_object (self->jump_button, "clicked",
                           G_CALLBACK (jump_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self, 0);
  g_signal_connect_object (vadj, "changed", G_CALLBACK (vadjustment_changed_cb), self, 0);
}

/* realize: follow the layout of each frame */
void
_fcm_timeline_watch_frame_clock (FcmTimeline *self)
{
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  self->layout_id = g_signal_connect_after (self->frame_clock, "layout",
                                            G_CALLBACK (layout_after_cb), self);
}

/* unrealize */
void
_fcm_timeline_unwatch_frame_clock (FcmTimeline *self)
{
  g_clear_signal_handler (&self->layout_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

void
_fcm_timeline_scroll_to_end (FcmTimeline *self)
{
  jump_clicked_cb (self);
}
