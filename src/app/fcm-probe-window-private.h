/* fcm-probe-window-private.h: internals of the probe window shared between
 * its files (fcm-probe-window*.c), and what the tests may look at inside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-probe.h"
#include "fcm-probe-window.h"

G_BEGIN_DECLS

/* ------------------------------------------------ one scenario in the list */

typedef enum
{
  FCM_PROBE_ITEM_PENDING,
  FCM_PROBE_ITEM_RUNNING,
  FCM_PROBE_ITEM_DONE,
  FCM_PROBE_ITEM_NOT_RUN,     /* the run stopped or failed before it */
} FcmProbeItemState;

#define FCM_TYPE_PROBE_ITEM (fcm_probe_item_get_type ())

G_DECLARE_FINAL_TYPE (FcmProbeItem, fcm_probe_item, FCM, PROBE_ITEM, GObject)

FcmProbeItem      *fcm_probe_item_new           (const FcmProbeScenarioInfo *info) G_GNUC_WARN_UNUSED_RESULT;
const char        *fcm_probe_item_get_id        (FcmProbeItem   *self);
const char        *fcm_probe_item_get_title     (FcmProbeItem   *self);
const char        *fcm_probe_item_get_summary   (FcmProbeItem   *self);
const char        *fcm_probe_item_get_rules     (FcmProbeItem   *self);
FcmProbeItemState  fcm_probe_item_get_state     (FcmProbeItem   *self);
FcmProbeResult    *fcm_probe_item_get_result    (FcmProbeItem   *self);
const char        *fcm_probe_item_get_live      (FcmProbeItem   *self);
void               fcm_probe_item_set_running   (FcmProbeItem   *self);
void               fcm_probe_item_add_live      (FcmProbeItem   *self,
                                                 const char     *line);
void               fcm_probe_item_set_result    (FcmProbeItem   *self,
                                                 FcmProbeResult *result);
void               fcm_probe_item_set_not_run   (FcmProbeItem   *self);
char              *fcm_probe_item_dup_a11y_text (FcmProbeItem   *self) G_GNUC_WARN_UNUSED_RESULT;

/* ------------------------------------------------------------- the window */

struct _FcmProbeWindow
{
  AdwWindow            parent_instance;

  FcmProbe            *probe;
  FcmConnection       *connection;     /* Test a Hub: the hub's connection */
  gboolean             for_app;        /* Test an App: FcmSubscriberProbe */
  char                *session_topic;  /* Test a Hub: the connection's topic */
  GCancellable        *cancellable;    /* the run in progress */
  GCancellable        *lookup;         /* the keyring lookup */
  gboolean             token_known;    /* the keyring lookup is over */
  gboolean             run_pending;    /* run once the token is known */
  GListStore          *items;          /* FcmProbeItem, the scenarios of this run */
  GtkSingleSelection  *selection;
  FcmProbeItem        *running;
  guint                n_run;          /* how many scenarios this run has */
  guint                n_done;
  gint64               started;
  gint64               ended;
  gboolean             stopped;
  char                *run_error;
  gboolean             follow;         /* the selection follows the run */
  gboolean             selecting;      /* we move the selection ourselves */
  GPtrArray           *checks;         /* GtkCheckButton per scenario, in order */
  char                *last_toast;     /* for tests */
  /* Test an App: what the probe asked of the app and is waiting for */
  char                *asked;
  gint64               asked_at;
  guint                tick_id;
  double               connect_timeout;

  /* Template children */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkWidget           *stop_button;
  GtkWidget           *run_button;
  GtkWidget           *export_button;
  GtkWidget           *scenarios_button;
  GtkWidget           *target_box;
  GtkLabel            *target_url_label;
  GtkLabel            *target_topic_label;
  GtkLabel            *target_token_label;
  GtkWidget           *app_box;
  GtkLabel            *app_url_label;
  GtkLabel            *app_topic_label;
  GtkWidget           *status_box;
  GtkSpinner          *spinner;
  GtkImage            *status_icon;
  GtkLabel            *summary_label;
  GtkLabel            *status_label;
  GtkListView         *scenario_list;
  GtkLabel            *evidence_title;
  GtkLabel            *evidence_message;
  GtkTextView         *evidence_view;
  GtkWidget           *scenarios_popover;
  GtkWidget           *use_topic_box;
  GtkCheckButton      *use_topic_check;
  GtkListBox          *check_list;
};

/* fcm-probe-window.c */
void   _fcm_probe_window_update_state      (FcmProbeWindow *self);

/* fcm-probe-window-list.c: the scenario list, its rows, the evidence pane,
 * the choice of scenarios */
void   _fcm_probe_window_setup_list        (FcmProbeWindow *self);
void   _fcm_probe_window_fill_items        (FcmProbeWindow *self);
FcmProbeItem *_fcm_probe_window_find_item  (FcmProbeWindow *self,
                                            const char     *id,
                                            guint          *position);
void   _fcm_probe_window_select            (FcmProbeWindow *self,
                                            guint           position);
void   _fcm_probe_window_show_selected     (FcmProbeWindow *self);
char **_fcm_probe_window_dup_chosen        (FcmProbeWindow *self) G_GNUC_WARN_UNUSED_RESULT;
void   _fcm_probe_window_choose_action     (GtkWidget      *widget,
                                            const char     *action_name,
                                            GVariant       *parameter);
void   _fcm_probe_window_copy_evidence_action (GtkWidget   *widget,
                                            const char     *action_name,
                                            GVariant       *parameter);
void   _fcm_probe_verdict_look             (FcmProbeItemState  state,
                                            FcmProbeVerdict    verdict,
                                            const char       **icon_name,
                                            const char       **text,
                                            const char       **css_class);

/* fcm-probe-window-export.c: the NDJSON and JUnit reports */
void   _fcm_probe_window_export_action     (GtkWidget      *widget,
                                            const char     *action_name,
                                            GVariant       *parameter);
void   _fcm_probe_window_toast             (FcmProbeWindow *self,
                                            const char     *text);

/* for tests */
typedef enum
{
  FCM_PROBE_REPORT_KIND_NDJSON,
  FCM_PROBE_REPORT_KIND_JUNIT,
} FcmProbeReportKind;

FcmProbe   *_fcm_probe_window_get_probe     (FcmProbeWindow      *self);
void        _fcm_probe_window_set_connect_timeout (FcmProbeWindow *self,
                                             double               seconds);
const char *_fcm_probe_window_get_last_toast (FcmProbeWindow     *self);
GListModel *_fcm_probe_window_get_items     (FcmProbeWindow      *self);
void        _fcm_probe_window_export_async  (FcmProbeWindow      *self,
                                             FcmProbeReportKind   kind,
                                             GFile               *file,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    _fcm_probe_window_export_finish (FcmProbeWindow      *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
