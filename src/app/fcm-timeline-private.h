/* fcm-timeline-private.h: internals of the timeline shared between its
 * files (fcm-timeline*.c), its details pane, the tests and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-event-details.h"
#include "fcm-timeline.h"

G_BEGIN_DECLS

/* fcm-timeline-batch.c: the log as the view sees it, changed at most once a
 * frame */
#define FCM_TYPE_TIMELINE_BATCH (fcm_timeline_batch_get_type ())
G_DECLARE_FINAL_TYPE (FcmTimelineBatch, fcm_timeline_batch, FCM, TIMELINE_BATCH, GObject)

void             _fcm_timeline_batch_set_source   (FcmTimelineBatch     *self,
                                                   GListModel           *source);
void             _fcm_timeline_batch_flush        (FcmTimelineBatch     *self);
void             _fcm_timeline_batch_watch_frame_clock (FcmTimelineBatch *self,
                                                        GdkFrameClock    *clock);
guint            _fcm_timeline_batch_hide_all     (FcmTimelineBatch     *self);
void             _fcm_timeline_batch_show_all     (FcmTimelineBatch     *self);
guint            _fcm_timeline_batch_get_n_hidden (FcmTimelineBatch     *self);
void             _fcm_timeline_commit_clear       (GListModel           *log);
void             _fcm_timeline_batch_set_recorder (FcmTimelineBatch     *self,
                                                   FcmRecorder          *recorder);

/* the rows of the "type" drop-down, in order */
typedef enum
{
  FCM_TIMELINE_TYPE_FILTER_ALL,
  FCM_TIMELINE_TYPE_FILTER_OPEN,
  FCM_TIMELINE_TYPE_FILTER_CLOSE,
  FCM_TIMELINE_TYPE_FILTER_UPDATE,
  FCM_TIMELINE_TYPE_FILTER_SELECT,
  FCM_TIMELINE_TYPE_FILTER_SYNCERROR,
  FCM_TIMELINE_TYPE_FILTER_OTHER,
} FcmTimelineTypeFilter;

struct _FcmTimeline
{
  GtkWidget              parent_instance;

  FcmEventLog           *event_log;
  FcmTimelineBatch      *batch;
  GtkFilterListModel    *filter_model;
  GtkSingleSelection    *selection;
  GtkCustomFilter       *filter;

  /* the filter state (fcm-timeline-filter.c) */
  FcmTimelineTypeFilter  type;
  char                  *needle;        /* casefolded, NULL when not searching */
  gboolean               needle_ascii;

  /* auto-scroll (fcm-timeline-scroll.c) */
  gboolean               following;
  gboolean               configuring;  /* the list reconfigured the adjustment */
  gboolean               rows_moving;  /* rows came or went since the last layout */
  gboolean               rows_shifted; /* ... before the last row */
  double                 last_value;
  double                 pinned_value; /* < 0: none; see layout_after_cb() */
  guint                  warm_up_id;   /* _fcm_timeline_warm_up_cells() pending */
  guint                  n_unseen;     /* rows added since following stopped */
  gulong                 layout_id;
  GdkFrameClock         *frame_clock;

  AdwToast              *feedback;     /* the last toast the timeline gave (weak) */
  FcmEventLogEntry      *pressed_entry; /* the row of a click, for a double click */

  double                 paned_share;
  int                    paned_max;
  gboolean               placing_divider;

  /* Template children */
  GtkDropDown           *type_filter;
  GtkSearchEntry        *search_entry;
  GtkScrolledWindow     *scroller;
  GtkColumnView         *column_view;
  AdwStatusPage         *empty_page;
  GtkRevealer           *jump_revealer;
  GtkButton             *jump_button;
  GtkInscription        *jump_label;
  GtkInscription        *count_label;
  FcmEventDetails       *details;
  GtkPaned              *paned;
};

/* fcm-timeline-columns.c: the columns and their cells */
void             _fcm_timeline_add_columns        (FcmTimeline          *self);
gboolean         _fcm_timeline_warm_up_cells      (gpointer              timeline);

/* fcm-timeline-filter.c: the type drop-down, the search, the empty state */
void             _fcm_timeline_setup_filter       (FcmTimeline          *self);
void             _fcm_timeline_update_empty_state (FcmTimeline          *self);
void             _fcm_timeline_refilter_now       (FcmTimeline          *self);

/* fcm-timeline-scroll.c: following new rows, "Jump to Latest" */
void             _fcm_timeline_setup_scrolling    (FcmTimeline          *self);
void             _fcm_timeline_rows_moving_cb     (FcmTimeline          *self,
                                                   guint                 position,
                                                   guint                 removed,
                                                   guint                 added);
void             _fcm_timeline_set_following      (FcmTimeline          *self,
                                                   gboolean              following);
void             _fcm_timeline_watch_frame_clock  (FcmTimeline          *self);
void             _fcm_timeline_unwatch_frame_clock (FcmTimeline         *self);

/* a toast in the window's overlay, if the timeline is in one; it says what
 * an action did */
void             _fcm_timeline_tell               (FcmTimeline          *self,
                                                   AdwToast             *toast);

/* fcm-timeline-export.c: the copy-json and export actions */
void             _fcm_timeline_copy_json_action   (GtkWidget            *widget,
                                                   const char           *action_name,
                                                   GVariant             *parameter);
void             _fcm_timeline_export_action      (GtkWidget            *widget,
                                                   const char           *action_name,
                                                   GVariant             *parameter);

/* 1204 → "1,204" */
char            *_fcm_format_count                (guint                 n);

/* the Event column and the details title: the event name, or the kind */
const char      *_fcm_entry_title                 (FcmEventLogEntry     *entry);
/* the Ack cell's tooltip: what our ack means */
char            *_fcm_entry_ack_explanation       (FcmEventLogEntry     *entry);
/* the Validation pill: "✓", "2 warnings", "1 error" and its css class */
char            *_fcm_entry_badge                 (FcmEventLogEntry     *entry,
                                                   const char          **css_class);

/* for tests */
GtkColumnView   *_fcm_timeline_get_column_view    (FcmTimeline          *self);
GListModel      *_fcm_timeline_get_model          (FcmTimeline          *self);
GtkDropDown     *_fcm_timeline_get_type_filter    (FcmTimeline          *self);
GtkEditable     *_fcm_timeline_get_search_entry   (FcmTimeline          *self);
FcmEventDetails *_fcm_timeline_get_details        (FcmTimeline          *self);
GtkAdjustment   *_fcm_timeline_get_vadjustment    (FcmTimeline          *self);
AdwToast        *_fcm_timeline_get_feedback       (FcmTimeline          *self);
const char      *_fcm_timeline_get_count_text     (FcmTimeline          *self);
gboolean         _fcm_timeline_get_following      (FcmTimeline          *self);
/* how many times a cell was filled in for an entry it did not show (all timelines) */
guint            _fcm_timeline_get_n_cells_filled (void);
void             _fcm_timeline_select             (FcmTimeline          *self,
                                                   guint                 position);
void             _fcm_timeline_scroll_to_end      (FcmTimeline          *self);
void             _fcm_timeline_reset_divider      (FcmTimeline          *self);
void             _fcm_timeline_show_row           (FcmTimeline          *self,
                                                   guint                 position);
gboolean         _fcm_timeline_click              (FcmTimeline          *self,
                                                   int                   n_press,
                                                   double                x,
                                                   double                y);
void             _fcm_timeline_export_to_file     (FcmTimeline          *self,
                                                   GFile                *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         _fcm_timeline_export_finish      (FcmTimeline          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
