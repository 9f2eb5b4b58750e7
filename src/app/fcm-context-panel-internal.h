/* fcm-context-panel-internal.h: what the files of FcmContextPanel share
 *
 * fcm-context-panel.c        the widget: applying changes (fcm-view-pace.h),
 *                            tooltips, state, set-up, public API
 * fcm-context-panel-text.c   the headline's lines and the suspended rows
 * fcm-context-panel-test.c   what the tests look at
 * fcm-context-panel-rehearsal.c  the report page laid out unseen in the first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-compact-row.h"
#include "fcm-view-pace.h"

#include "fcm-context-panel-private.h"

G_BEGIN_DECLS

typedef struct _FcmContextPanelRehearsal FcmContextPanelRehearsal;

struct _FcmContextPanel
{
  GtkWidget            parent_instance;

  FcmMonitor          *monitor;
  GSignalGroup        *monitor_signals;
  GSignalGroup        *store_signals;
  GSignalGroup        *item_signals;     /* the current item */
  GListStore          *suspended_model;  /* FcmContextItem: the store's not current ones, as shown */
  FcmContextItem      *chosen;           /* a suspended item, or NULL */

  /* what is shown, per field: NULL when not given */
  char                *shown[FCM_CONTEXT_N_FIELDS];
  char                *opened_by_event;  /* for the tooltip */
  gboolean             has_current;
  AdwActionRow        *rows[FCM_CONTEXT_N_FIELDS];
  GtkLabel            *values[FCM_CONTEXT_N_FIELDS];

  guint                tick_id;          /* while not mapped: apply with the next frame */
  FcmViewPace          pace;             /* paced applies while mapped */
  guint                suspended_dirty : 1;
  guint                syncing_rows : 1;     /* suspended rows being re-pointed */
  GPtrArray           *spare_rows;           /* suspended rows out of the list, for reuse */
  guint                n_suspended_shown; /* in the button and the group title */
  guint                n_label_updates;
  guint                n_applies;
  FcmContextPanelRehearsal *rehearsal;   /* while the first frame lays out the report page */
  guint                rehearsed : 1;
  int                  rehearsed_width;  /* the patient line's width in it (tests) */

  /* Template children */
  GtkRevealer         *stale_revealer;
  GtkLabel            *stale_reason_label;
  GtkStack            *stack;
  GtkScrolledWindow   *report_scroller;
  GtkWidget           *suspended_button;
  GtkWidget           *headline;
  GtkLabel            *lines[FCM_CONTEXT_N_LINES];
  GtkWidget           *no_current_label;
  AdwPreferencesGroup *current_group;
  AdwPreferencesGroup *suspended_group;
  GtkListBox          *suspended_list;
};


typedef struct
{
  const char         *title;
  gboolean            row;         /* an identifier row below the headline */
  gboolean            monospace;
} FcmFieldInfo;

extern const FcmFieldInfo _fcm_context_fields[FCM_CONTEXT_N_FIELDS];

/* fcm-context-panel.c */
FcmContextStore *_fcm_context_panel_get_store   (FcmContextPanel *self);
FcmContextItem  *_fcm_context_panel_get_current (FcmContextPanel *self);
gboolean    _fcm_context_panel_store_has      (FcmContextPanel *self,
                                               FcmContextItem  *item);
char       *_fcm_context_panel_dup_tooltip    (FcmContextPanel *self,
                                               FcmContextField  field);
GtkLabel   *_fcm_context_panel_find_title_label (GtkWidget     *row);

/* fcm-context-panel-apply.c */
void        _fcm_context_panel_set_label_text (FcmContextPanel *self,
                                               GtkLabel        *label,
                                               const char      *text);
void        _fcm_context_panel_set_visible    (FcmContextPanel *self,
                                               GtkWidget       *widget,
                                               gboolean         visible);
void        _fcm_context_panel_apply          (FcmContextPanel *self);
void        _fcm_context_panel_queue_apply    (FcmContextPanel *self);

/* fcm-context-panel-text.c */
gboolean    _fcm_context_given                (const char      *s);
const char *_fcm_context_sex_text             (const char      *sex);
char       *_fcm_context_birth_date_text      (const char      *birth_date);
char       *_fcm_context_study_date_text      (const char      *date);
void        _fcm_context_join                 (GString         *str,
                                               const char      *part);
void        _fcm_context_panel_show_headline  (FcmContextPanel *self,
                                               const gboolean  *changed);
/* fcm-context-panel-rehearsal.c */
void        _fcm_context_panel_rehearse       (FcmContextPanel *self);
void        _fcm_context_panel_end_rehearsal  (FcmContextPanel *self);
const char *_fcm_context_panel_rehearsal_page (FcmContextPanel *self);

/* fcm-context-panel-suspended.c */
void        _fcm_context_panel_init_suspended       (FcmContextPanel *self);
void        _fcm_context_panel_sync_suspended       (FcmContextPanel *self);
void        _fcm_context_panel_select_chosen_row    (FcmContextPanel *self);
void        _fcm_context_panel_update_suspended_count (FcmContextPanel *self);

GtkWidget  *_fcm_context_panel_create_suspended_row (FcmContextItem  *item);
void        _fcm_context_panel_bind_suspended_row   (GtkWidget       *row,
                                                     FcmContextItem  *item);

G_END_DECLS
