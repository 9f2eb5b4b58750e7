/* fcm-timeline-scroll.c: the timeline follows new rows
 *
 * While the view is at the bottom, new rows are scrolled into view, once
 * per frame however many rows arrived (a tick callback). When the user
 * scrolls up, following stops and "Jump to Latest" appears; scrolling back
 * to the bottom, or the button, resumes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include "fcm-timeline-private.h"

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to_last (FcmTimeline *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  GtkWidget *list = find_list_view (GTK_WIDGET (self->column_view));

  if (n == 0 || list == NULL)
    return;
  /* GTK 4.8 has no gtk_column_view_scroll_to (); the list's action does it
   * at the next layout, when the new rows have their size */
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", n - 1);
}

void
_fcm_timeline_set_following (FcmTimeline *self,
                             gboolean     following)
{
  if (self->following == following)
    return;
  self->following = following;
  gtk_revealer_set_reveal_child (self->jump_revealer, !following);
  gtk_widget_set_can_target (GTK_WIDGET (self->jump_revealer), !following);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  self->scroll_tick_id = 0;
  if (self->following)
    scroll_to_last (self);
  return G_SOURCE_REMOVE;
}

static void
queue_scroll (FcmTimeline *self)
{
  /* many rows in one frame cost one scroll */
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - 4.0;
}

static void
vadjustment_value_changed_cb (GtkAdjustment *adj,
                              FcmTimeline   *self)
{
  double value = gtk_adjustment_get_value (adj);

  if (at_bottom (adj))
    _fcm_timeline_set_following (self, TRUE);
  /* the user scrolled up; not the list moving its rows after a change */
  else if (!self->settling && value < self->last_value)
    _fcm_timeline_set_following (self, FALSE);
  self->last_value = value;
}

/* the list laid out new rows (upper grew): stay at the bottom while following;
 * the scroll-to-item of the tick ran before the layout knew their height */
static void
vadjustment_changed_cb (GtkAdjustment *adj,
                        FcmTimeline   *self)
{
  if (self->following && !at_bottom (adj))
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
after_paint_cb (GdkFrameClock *clock,
                FcmTimeline   *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->settling = FALSE;
  self->last_value = gtk_adjustment_get_value (adj);
}

static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  FcmTimeline *self)
{
  self->settling = TRUE;
  if (added > 0 && self->following)
    queue_scroll (self);
  _fcm_timeline_update_empty_state (self);
}

static void
jump_clicked_cb (FcmTimeline *self)
{
  _fcm_timeline_set_following (self, TRUE);
  scroll_to_last (self);
}

void
_fcm_timeline_setup_scrolling (FcmTimeline *self)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->following = TRUE;
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (items_changed_cb), self, 0);
  g_signal_connect_object (self->jump_button, "clicked",
                           G_CALLBACK (jump_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self, 0);
  g_signal_connect_object (vadj, "changed", G_CALLBACK (vadjustment_changed_cb), self, 0);
}

/* after each frame the list has laid out its rows (realize) */
void
_fcm_timeline_watch_frame_clock (FcmTimeline *self)
{
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
}

/* unrealize */
void
_fcm_timeline_unwatch_frame_clock (FcmTimeline *self)
{
  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

void
_fcm_timeline_scroll_to_end (FcmTimeline *self)
{
  jump_clicked_cb (self);
}
