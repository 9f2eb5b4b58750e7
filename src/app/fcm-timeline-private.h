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
  GtkListView           *list_view;
  GtkWidget             *header;
  int                    column_widths[7]; /* FcmTimelineColumn; -1: takes the rest */
  AdwStatusPage         *empty_page;
  GtkRevealer           *jump_revealer;
  GtkButton             *jump_button;
  GtkInscription        *jump_label;
  GtkInscription        *count_label;
  FcmEventDetails       *details;
  GtkPaned              *paned;
};

/* fcm-timeline-columns.c: the columns, their geometry and their texts */
typedef enum
{
  FCM_TIMELINE_COLUMN_TIME,
  FCM_TIMELINE_COLUMN_EVENT,
  FCM_TIMELINE_COLUMN_ID,
  FCM_TIMELINE_COLUMN_FROM,
  FCM_TIMELINE_COLUMN_ACK,
  FCM_TIMELINE_COLUMN_LATENCY,
  FCM_TIMELINE_COLUMN_VALIDATION,
  FCM_TIMELINE_N_COLUMNS
} FcmTimelineColumn;

/* a cell's padding at each side, and a row's above and below its text */
#define FCM_TIMELINE_CELL_XPAD 6
#define FCM_TIMELINE_ROW_YPAD  3

void             _fcm_timeline_setup_columns      (FcmTimeline          *self);
const char      *_fcm_timeline_column_title       (FcmTimelineColumn     column);
/* where @column is in a row @total wide (right to left in an RTL locale) */
void             _fcm_timeline_column_geometry    (FcmTimeline          *self,
                                                   GtkTextDirection      direction,
                                                   int                   total,
                                                   FcmTimelineColumn     column,
                                                   int                  *x,
                                                   int                  *width);
int              _fcm_timeline_columns_min_width  (FcmTimeline          *self);
void             _fcm_timeline_set_column_width   (FcmTimeline          *self,
                                                   FcmTimelineColumn     column,
                                                   int                   width);
int              _fcm_timeline_get_column_width   (FcmTimeline          *self,
                                                   FcmTimelineColumn     column);
/* a cell's text (empty, never NULL); @buf holds it when it is made here */
const char      *_fcm_timeline_cell_text          (FcmEventLogEntry     *entry,
                                                   FcmTimelineColumn     column,
                                                   char                 *buf,
                                                   gsize                 size);
gboolean         _fcm_timeline_entry_is_syncerror (FcmEventLogEntry     *entry);
gboolean         _fcm_timeline_warm_up_cells      (gpointer              timeline);

/* fcm-timeline-row.c: one row: its cells drawn as text (issue 15.1: a
 * column view's 15 widgets a row cost ~30 ms a frame under a stream),
 * the Validation pill a label */
#define FCM_TYPE_TIMELINE_ROW (fcm_timeline_row_get_type ())
G_DECLARE_FINAL_TYPE (FcmTimelineRow, fcm_timeline_row, FCM, TIMELINE_ROW, GtkWidget)
GtkWidget        *_fcm_timeline_row_new           (FcmTimeline          *timeline);
void              _fcm_timeline_row_set_entry     (FcmTimelineRow       *self,
                                                   FcmEventLogEntry     *entry);
FcmEventLogEntry *_fcm_timeline_row_get_entry     (FcmTimelineRow       *self);
const char       *_fcm_timeline_row_get_text      (FcmTimelineRow       *self,
                                                   FcmTimelineColumn     column);
/* the cell's area in the row; FALSE if the row is too narrow to show it */
gboolean          _fcm_timeline_row_get_cell_bounds (FcmTimelineRow     *self,
                                                   FcmTimelineColumn     column,
                                                   graphene_rect_t      *bounds);
GtkWidget        *_fcm_timeline_row_get_badge     (FcmTimelineRow       *self);
char             *_fcm_timeline_row_get_tooltip   (FcmTimelineRow       *self,
                                                   int                   x);
void              _fcm_timeline_row_columns_changed (FcmTimelineRow     *self);

/* fcm-timeline-header.c: the rows, with the column titles above them; a
 * title's end drags to resize its column */
#define FCM_TYPE_TIMELINE_HEADER (fcm_timeline_header_get_type ())
G_DECLARE_FINAL_TYPE (FcmTimelineHeader, fcm_timeline_header, FCM, TIMELINE_HEADER, GtkWidget)
GtkWidget        *_fcm_timeline_header_new        (FcmTimeline          *timeline,
                                                   GtkWidget            *body,
                                                   GtkAdjustment        *hadjustment);
gboolean          _fcm_timeline_header_drag       (FcmTimelineHeader    *self,
                                                   double                x,
                                                   double                dx);

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
GtkListView     *_fcm_timeline_get_list_view      (FcmTimeline          *self);
GtkWidget       *_fcm_timeline_get_header         (FcmTimeline          *self);
GListModel      *_fcm_timeline_get_model          (FcmTimeline          *self);
GtkDropDown     *_fcm_timeline_get_type_filter    (FcmTimeline          *self);
GtkEditable     *_fcm_timeline_get_search_entry   (FcmTimeline          *self);
FcmEventDetails *_fcm_timeline_get_details        (FcmTimeline          *self);
GtkAdjustment   *_fcm_timeline_get_vadjustment    (FcmTimeline          *self);
AdwToast        *_fcm_timeline_get_feedback       (FcmTimeline          *self);
const char      *_fcm_timeline_get_count_text     (FcmTimeline          *self);
gboolean         _fcm_timeline_get_following      (FcmTimeline          *self);
/* how many times a cell was filled in for an entry it did not show (all timelines) */
guint            _fcm_timeline_get_n_rows_filled  (void);
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
