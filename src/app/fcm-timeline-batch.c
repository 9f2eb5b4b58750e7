/* fcm-timeline-batch.c: the event log as the timeline's rows see it
 *
 * FcmTimelineBatch: the log as the view sees it, changed at most once per
 * main-loop turn and at most ten times a second (fcm-view-pace.h). A list
 * view in GTK 4.8 does work proportional to its length for every
 * items-changed, so a burst of k messages into a log of n rows must not cost
 * k signals: appends at the end and drops at the front (a full log, C-69
 * heartbeats aside) are gathered and applied together. Any other change
 * resets the view.
 *
 * Clear Timeline hides the rows the log has so far (the front of the log)
 * rather than deleting them at once, so that it can be undone; the log's
 * own cap drops them later, or the timeline clears the log when the undo
 * is no longer offered. Which rows are hidden is kept with the log (its
 * last hidden entry), so another hub shown in between changes nothing.
 *
 * With a recorder (fcm_timeline_set_recorder()) a row is shown only once
 * its line is in the recording (issue 16.5: a crash loses nothing that was
 * shown). The monitor logs a frame and the recorder queues its line in the
 * same emission, so when the batch is applied the rows that arrived since
 * the last time are covered by the recorder's queued_seq of that moment:
 * they wait, as one group, for a "written" at or past it. Each group waits
 * for its own lines only, so a steady stream of messages never holds back
 * the rows already written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include "fcm-timeline-private.h"
#include "fcm-view-pace.h"

struct _FcmTimelineBatch
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *items;          /* what the view sees (references) */
  guint       source_len;     /* the source's length after the changes seen */
  guint       front_removed;  /* pending */
  guint       stale;          /* items at the front the source dropped already */
  guint       trim_id;        /* drops the stale rows once quiet */
  gboolean    reset;          /* pending: anything but front drops and appends */
  FcmViewPace pace;           /* paced flushes; the layout after one on the timeline's clock */

  guint       hidden;         /* rows at the source's front not shown (cleared) */
  FcmRecorder *recorder;      /* nullable: show rows once written */
  GQueue       held;          /* Held, oldest first: the source's last rows */
  guint        n_held;        /* rows in held */
};

typedef struct
{
  guint   count;
  guint64 seq;                /* shown once written_seq reaches it */
} Held;

static void fcm_timeline_batch_model_init (GListModelInterface *iface);
static void schedule_flush                (FcmTimelineBatch    *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (FcmTimelineBatch, fcm_timeline_batch, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fcm_timeline_batch_model_init))

static GType
fcm_timeline_batch_get_item_type (GListModel *model)
{
  return FCM_TYPE_EVENT_LOG_ENTRY;
}

static guint
fcm_timeline_batch_get_n_items (GListModel *model)
{
  return FCM_TIMELINE_BATCH (model)->items->len;
}

static gpointer
fcm_timeline_batch_get_item (GListModel *model,
                             guint       position)
{
  FcmTimelineBatch *self = FCM_TIMELINE_BATCH (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
fcm_timeline_batch_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fcm_timeline_batch_get_item_type;
  iface->get_n_items = fcm_timeline_batch_get_n_items;
  iface->get_item = fcm_timeline_batch_get_item;
}

#define HIDDEN_KEY "fcm-timeline-last-hidden"

/* the source's newest hidden entry → how many rows are hidden */
static guint
count_hidden (FcmTimelineBatch *self)
{
  FcmEventLogEntry *last = self->source ? g_object_get_data (G_OBJECT (self->source), HIDDEN_KEY) : NULL;
  guint n = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;

  if (last == NULL)
    return 0;
  /* scanned from the end: it is usually recent */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (self->source, i - 1);

      if (entry == last)
        return i;
    }
  /* dropped from the log by now, and everything before it */
  g_object_set_data (G_OBJECT (self->source), HIDDEN_KEY, NULL);
  return 0;
}

static void
release_all (FcmTimelineBatch *self)
{
  g_queue_clear_full (&self->held, g_free);
  self->n_held = 0;
}

/* The rows not shown yet that no group covers: one new group, unless the
 * recorder has written all it queued (or failed: then nothing is held). */
static void
hold_new_rows (FcmTimelineBatch *self,
               guint             n,
               guint             shown)
{
  guint64 queued;
  Held *held;

  if (self->recorder == NULL || fcm_recorder_get_error (self->recorder) != NULL || shown > n)
    {
      release_all (self);
      return;
    }
  /* the log dropped rows that were held (more arrived than it keeps) */
  if (self->n_held > n - shown)
    self->n_held = n - shown;
  if (n - shown == self->n_held)
    return;
  queued = fcm_recorder_get_queued_seq (self->recorder);
  if (fcm_recorder_get_written_seq (self->recorder) >= queued)
    return;
  held = g_new0 (Held, 1);
  held->count = n - shown - self->n_held;
  held->seq = queued;
  g_queue_push_tail (&self->held, held);
  self->n_held += held->count;
}

#define STALE_MAX 1000
#define GROW_STEP 48
#define GROW_UNTIL 256

static guint
stale_limit (FcmTimelineBatch *self)
{
  return MIN (self->source_len / 8, STALE_MAX);
}

static gboolean
trim_cb (gpointer data)
{
  FcmTimelineBatch *self = data;

  self->trim_id = 0;
  if (!fcm_view_pace_is_scheduled (&self->pace) && self->stale > 0)
    {
      guint stale = self->stale;

      self->stale = 0;
      g_ptr_array_remove_range (self->items, 0, stale);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, stale, 0);
    }
  return G_SOURCE_REMOVE;
}

/* Applies the pending changes. @split (a paced flush): stale rows over the
 * limit are dropped alone, and the appends wait for the next flush. */
static void
flush (FcmTimelineBatch *self,
       gboolean          split)
{
  guint n = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;
  guint old_len = self->items->len;
  guint kept;
  guint next;
  guint limit;
  gboolean more = FALSE;

  fcm_view_pace_started (&self->pace);
  g_clear_handle_id (&self->trim_id, g_source_remove);

  if (self->reset)
    {
      self->reset = FALSE;
      self->front_removed = 0;
      self->stale = 0;
      self->hidden = count_hidden (self);
      g_ptr_array_set_size (self->items, 0);
      /* the source: the hidden rows (cleared), the shown ones, and at the
       * end the held ones (waiting for the recorder); those left stay held */
      if (self->hidden + self->n_held > n)
        release_all (self);
      hold_new_rows (self, n, self->hidden);
      limit = n - self->n_held;
      for (guint i = self->hidden; i < limit; i++)
        g_ptr_array_add (self->items, g_list_model_get_item (self->source, i));
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
      return;
    }

  if (self->front_removed > 0)
    {
      /* the hidden rows go first; the shown ones become stale */
      guint from_hidden = MIN (self->front_removed, self->hidden);

      self->hidden -= from_hidden;
      if (self->hidden == 0 && self->source != NULL)
        g_object_set_data (G_OBJECT (self->source), HIDDEN_KEY, NULL);
      self->stale += MIN (self->front_removed - from_hidden, self->items->len - self->stale);
      self->front_removed = 0;
    }
  /* what is left is the start of the source after the hidden rows: add the
   * rest, but the rows still waiting for the recorder */
  kept = self->items->len - self->stale;
  hold_new_rows (self, n, self->hidden + kept);
  limit = n - self->n_held;
  if (self->stale > 0 && (!split || self->stale > stale_limit (self) || limit <= self->hidden + kept))
    {
      guint stale = self->stale;

      self->stale = 0;
      g_ptr_array_remove_range (self->items, 0, stale);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, stale, 0);
      if (split && limit > self->hidden + kept && stale_limit (self) > 0)
        {
          /* the new rows in a frame of their own */
          schedule_flush (self);
          return;
        }
    }
  kept = self->items->len;
  /* the source's row after the last one shown */
  next = self->hidden + kept - self->stale;
  /* GTK 4.8 makes the widgets of the ~200 rows next to the newest at once:
   * ~70 ms in one turn when a stream starts. A short view grows by a step
   * a flush until it has them. */
  if (split && kept < GROW_UNTIL && limit > next + GROW_STEP)
    {
      limit = next + GROW_STEP;
      more = TRUE;
    }
  for (guint i = next; i < limit; i++)
    g_ptr_array_add (self->items, g_list_model_get_item (self->source, i));
  if (self->items->len > kept)
    g_list_model_items_changed (G_LIST_MODEL (self), kept, 0, self->items->len - kept);
  if (more)
    schedule_flush (self);
  else if (self->stale > 0)
    self->trim_id = g_timeout_add_full (FCM_VIEW_APPLY_PRIORITY, 1000, trim_cb, self, NULL);
}

/* applies the pending changes now (clear_action needs them at once) */
void
_fcm_timeline_batch_flush (FcmTimelineBatch *self)
{
  flush (self, FALSE);
}

/**
 * _fcm_timeline_batch_hide_all:
 *
 * Hides every row the source has now (Clear Timeline); new ones show.
 *
 * Returns: how many rows were hidden by this call
 */
guint
_fcm_timeline_batch_hide_all (FcmTimelineBatch *self)
{
  guint n = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;
  guint shown;
  g_autoptr(FcmEventLogEntry) last = NULL;

  _fcm_timeline_batch_flush (self);
  shown = self->items->len;
  if (n == 0 || shown == 0)
    return 0;
  last = g_list_model_get_item (self->source, n - 1);
  g_object_set_data_full (G_OBJECT (self->source), HIDDEN_KEY, g_object_ref (last), g_object_unref);
  self->hidden = n;
  /* rows waiting for the recorder are hidden with the rest */
  release_all (self);
  self->stale = 0;
  g_ptr_array_set_size (self->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, shown, 0);
  return shown;
}

/* Undo: the hidden rows again */
void
_fcm_timeline_batch_show_all (FcmTimelineBatch *self)
{
  if (self->source == NULL)
    return;
  g_object_set_data (G_OBJECT (self->source), HIDDEN_KEY, NULL);
  self->reset = TRUE;
  _fcm_timeline_batch_flush (self);
}

/**
 * _fcm_timeline_commit_clear:
 * @log: a log whose rows a Clear Timeline hid
 *
 * The undo is no longer offered: if nothing came since, the log is cleared
 * for real (the memory goes); else the hidden rows stay hidden until the
 * log's cap drops them.
 */
void
_fcm_timeline_commit_clear (GListModel *log)
{
  FcmEventLogEntry *last = g_object_get_data (G_OBJECT (log), HIDDEN_KEY);
  guint n = g_list_model_get_n_items (log);
  g_autoptr(FcmEventLogEntry) newest = n > 0 ? g_list_model_get_item (log, n - 1) : NULL;

  if (last != NULL && last == newest)
    {
      g_object_set_data (G_OBJECT (log), HIDDEN_KEY, NULL);
      fcm_event_log_clear (FCM_EVENT_LOG (log));
    }
}

/* how many rows are hidden (cleared) */
guint
_fcm_timeline_batch_get_n_hidden (FcmTimelineBatch *self)
{
  return self->hidden;
}

/* lines up to @seq are in the file: the groups they cover are shown */
static void
recorder_written_cb (FcmRecorder      *recorder,
                     guint64           seq,
                     FcmTimelineBatch *self)
{
  Held *held;
  gboolean released = FALSE;

  while ((held = g_queue_peek_head (&self->held)) != NULL && held->seq <= seq)
    {
      self->n_held -= MIN (held->count, self->n_held);
      g_free (g_queue_pop_head (&self->held));
      released = TRUE;
    }
  if (released)
    schedule_flush (self);
}

static void
recorder_error_cb (FcmRecorder      *recorder,
                   GParamSpec       *pspec,
                   FcmTimelineBatch *self)
{
  /* nothing more is written: hold nothing back */
  release_all (self);
  schedule_flush (self);
}

void
_fcm_timeline_batch_set_recorder (FcmTimelineBatch *self,
                                  FcmRecorder      *recorder)
{
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  g_set_object (&self->recorder, recorder);
  if (recorder != NULL)
    {
      g_signal_connect (recorder, "written", G_CALLBACK (recorder_written_cb), self);
      g_signal_connect (recorder, "notify::error", G_CALLBACK (recorder_error_cb), self);
    }
  release_all (self);
  schedule_flush (self);
}

/* a paced flush (fcm-view-pace.h) */
static void
paced_flush (gpointer data)
{
  flush (data, TRUE);
}

static void
fcm_timeline_batch_source_changed_cb (GListModel       *source,
                                      guint             position,
                                      guint             removed,
                                      guint             added,
                                      FcmTimelineBatch *self)
{
  guint old_len = self->source_len;

  self->source_len = old_len - removed + added;
  if (position == 0 && added == 0)
    self->front_removed += removed;
  else if (!(removed == 0 && position == old_len))
    self->reset = TRUE;
  schedule_flush (self);
}

static void
schedule_flush (FcmTimelineBatch *self)
{
  fcm_view_pace_schedule (&self->pace);
}

/* the timeline's frame clock (NULL when it is unrealized): the layout
 * after a flush counts in its cost (fcm-view-pace.h) */
void
_fcm_timeline_batch_watch_frame_clock (FcmTimelineBatch *self,
                                       GdkFrameClock    *clock)
{
  if (clock != NULL)
    fcm_view_layout_cost_watch (&self->pace.layout, clock);
  else
    fcm_view_layout_cost_unwatch (&self->pace.layout);
}

void
_fcm_timeline_batch_set_source (FcmTimelineBatch *self,
                                GListModel       *source)
{
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  release_all (self);
  self->source_len = source != NULL ? g_list_model_get_n_items (source) : 0;
  if (source != NULL)
    g_signal_connect (source, "items-changed", G_CALLBACK (fcm_timeline_batch_source_changed_cb), self);
  self->reset = TRUE;
  _fcm_timeline_batch_flush (self);
}

static void
fcm_timeline_batch_dispose (GObject *object)
{
  FcmTimelineBatch *self = FCM_TIMELINE_BATCH (object);

  fcm_view_pace_clear (&self->pace);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  g_clear_object (&self->recorder);
  release_all (self);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (fcm_timeline_batch_parent_class)->dispose (object);
}

static void
fcm_timeline_batch_class_init (FcmTimelineBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fcm_timeline_batch_dispose;
}

static void
fcm_timeline_batch_init (FcmTimelineBatch *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  fcm_view_pace_init (&self->pace, G_LOG_DOMAIN, "timeline", paced_flush, self);
}
